/**
 * The model-provider SPI: how a plug-in connects Weft to a model vendor's API.
 *
 * <p>A {@link dev.weft.spi.model.ModelProvider} service speaks one vendor wire protocol. Given a
 * {@link dev.weft.spi.model.ProviderConfig} (base URL, credentials) and a model name it hands out
 * a {@link dev.weft.spi.model.ChatModel}, an {@link dev.weft.spi.model.EmbeddingModel} or a
 * {@link dev.weft.spi.model.RerankModel}. Each has one method per capability: a chat model answers
 * a {@link dev.weft.spi.model.ChatRequest} whole, or streams
 * {@link dev.weft.spi.model.ChatEvent}s into one sink and then returns. Every answer reports its
 * {@link dev.weft.spi.model.Usage}.
 *
 * <p>Providers map vendor failures onto one small taxonomy: a
 * {@link dev.weft.spi.model.RetriableModelException} (rate limited, unavailable, timed out) may
 * succeed if tried again, a {@link dev.weft.spi.model.NonRetriableModelException} (authentication,
 * invalid request, unknown model, content filtered, quota) will not. Retries, fallbacks, rate
 * limits, parameter defaults and usage accounting are the platform's work, wrapped around
 * providers from outside; a provider only translates.
 */
@Export
@Version("1.1.0")
package dev.weft.spi.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
