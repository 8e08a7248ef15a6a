package dev.lacquer.model;

/** Stable error codes of a failed job. Clients may branch on them; never rename one. */
public enum ErrorCode {
    /** The model refused the prompt or photo on content-policy grounds. */
    CONTENT_POLICY("This design was blocked by the content policy. Try a different prompt or photo."),
    /** The photo or a parameter was not accepted by the model. */
    INVALID_INPUT("The photo or settings could not be used for generation. Try another photo."),
    /** The image provider rejected our credentials or configuration. */
    PROVIDER_CONFIGURATION("Design generation is unavailable right now. We have been alerted."),
    /** The provider account has no quota left. */
    PROVIDER_QUOTA("Design generation is unavailable right now. Please try again later."),
    /** The provider kept failing or rate limiting past the retry budget. */
    PROVIDER_UNAVAILABLE("The design service is busy. Please try again in a few minutes."),
    /** The object store kept failing past the retry budget. */
    STORAGE_UNAVAILABLE("Your designs could not be stored. Please try again."),
    /** The job ran out of attempts without a worker finishing it. */
    TIMED_OUT("Generation took too long and was stopped. Your credits were returned."),
    /** The job waited in the queue longer than the configured expiry. */
    EXPIRED("Generation could not start in time. Your credits were returned."),
    /** Anything else. */
    INTERNAL("Something went wrong while generating your designs.");

    private final String userMessage;

    ErrorCode(String userMessage) {
        this.userMessage = userMessage;
    }

    /** A message fit to show the user as it is. */
    public String userMessage() {
        return userMessage;
    }
}
