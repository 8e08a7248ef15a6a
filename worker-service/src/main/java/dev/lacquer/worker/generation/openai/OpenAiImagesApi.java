package dev.lacquer.worker.generation.openai;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * OpenAI's image edit endpoint. Built by {@link OpenAiImages} with its timeouts and without the default exception
 * mapper: every answer, error or not, comes back with its status, headers and body for {@link ProviderErrors}.
 */
@RegisterRestClient(configKey = "openai")
@Path("/v1/images")
interface OpenAiImagesApi {

    @POST
    @Path("/edits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    CompletionStage<Response> edit(@HeaderParam("Authorization") String authorization,
                                   @HeaderParam("OpenAI-Organization") String organization,
                                   @HeaderParam("OpenAI-Project") String project,
                                    ClientMultipartForm form);
}
