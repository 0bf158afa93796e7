/**
 * Item-by-item authorization of the multi-item requests the gateway forwards: {@code _bulk}, {@code _msearch} and
 * {@code _mget}. Independent of the HTTP pipeline: the proxy feeds the request body in chunks, forwards what the
 * sink receives, and shapes the upstream's answer.
 *
 * <p>For {@code _bulk} ({@link io.svctoken.server.gateway.bulk.BulkStream}) and {@code _msearch}
 * ({@link io.svctoken.server.gateway.bulk.MultiSearchStream}):
 * <ol>
 * <li>Create the reader with the path's index, the item check ({@code (op, index) -> reason or null}) and a sink that
 * writes to the upstream. The forwarded body is shorter than the received one when items are denied: send it chunked,
 * without the client's {@code Content-Length}. Open the upstream exchange at the sink's first call, so that a body of
 * denied items only never reaches the upstream. A compressed request body is inflated before it is fed ({@link io.svctoken.server.gateway.bulk.BodyInflater}).</li>
 * <li>{@code feed} each chunk of the body; {@code end()} after the last one gives the
 * {@link io.svctoken.server.gateway.bulk.Outcome}. An {@link io.svctoken.server.http.EsException} from either is the
 * answer (400, Elasticsearch's text): the upstream exchange is aborted, its body never completed.</li>
 * <li>{@code outcome.allDenied()}: answer locally ({@code BulkAnswer.local}, {@code MultiSearchAnswer.local}), 200.
 * No denial, or an upstream status other than 200: the upstream's answer passes unchanged. Otherwise the answer goes
 * through {@link io.svctoken.server.gateway.bulk.AnswerMerger} (chunked, uncompressed: ask the upstream for
 * {@code identity} or inflate).</li>
 * </ol>
 *
 * <p>For {@code _mget} ({@link io.svctoken.server.gateway.bulk.MultiGetBody}) the body is read whole (bounded), then
 * {@code Result.forward()} is the body to send (the original when nothing is denied), or null when every document is
 * denied ({@code MultiGetAnswer.local}).
 *
 * <p>Each object serves one request on one thread; none is shared.
 */
package io.svctoken.server.gateway.bulk;
