package io.svctoken.server.rest;

import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;

import java.util.Set;

/** An endpoint that writes and so takes Elasticsearch's {@code refresh} parameter (checked before anything else). */
abstract class WriteHandler implements RestHandler {

    @Override
    public final Set<String> params() {
        return RestSupport.REFRESH;
    }

    @Override
    public final void prepare(RestRequest request) {
        RestSupport.checkRefresh(request);
    }
}
