package dev.lacquer.worker.generation;

/**
 * Draws nail designs for one job. One implementation per image backend (the local renderer, an image model
 * API, a benchmark stand-in), each an {@code @ApplicationScoped} bean; {@code lacquer.worker.generator} picks
 * the one whose {@link #name()} matches.
 *
 * <p>Implementations must return promptly when the calling thread is interrupted (the job was canceled or the
 * worker is stopping), throw {@link GenerationException} with a stable error code for failures they understand,
 * and never log prompts or image bytes above DEBUG.
 */
public interface DesignGenerator {

    /** The value of {@code lacquer.worker.generator} that selects this generator. */
    String name();

    /**
     * Generates {@code request.imageCount()} PNG images, calling {@code request.listener()} after each one.
     *
     * @throws GenerationException  when the backend refused or failed in a way it can name
     * @throws InterruptedException when the thread was interrupted
     */
    GeneratedDesigns generate(DesignRequest request) throws InterruptedException;
}
