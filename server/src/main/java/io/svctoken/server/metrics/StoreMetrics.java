package io.svctoken.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.svctoken.core.store.Store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every store call, by repository, operation (the repository method's name) and outcome (success / error): the
 * store is wrapped once at the start, each repository behind a proxy. Store calls run on the worker pool or the
 * cluster threads, never on a cached authentication's path.
 */
public final class StoreMetrics {

    static final String CALLS = "svctoken.store.calls";
    /** Waits, not calls: the cluster listener blocks here until a change is published or the poll interval passes. */
    private static final Set<String> NOT_TIMED = Set.of("awaitPublish");

    private StoreMetrics() {
    }

    /** {@code store} with each repository's calls timed in {@code registry}. */
    public static Store wrap(Store store, MeterRegistry registry) {
        Map<Object, Object> proxies = new ConcurrentHashMap<>();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (proxy, method, args) -> {
            Object result = invoke(store, method, args);
            if (result == null || !isRepository(method)) {
                return result;
            }
            Class<?> type = method.getReturnType();
            // tokens(), users(), ...: the same proxy for the same repository
            return proxies.computeIfAbsent(result, r -> Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                    new Timed(r, method.getName(), registry)));
        });
    }

    /**
     * Generates the proxy classes {@link #wrap} uses (the store's and each repository's; the JDK keeps them), so that
     * a thread beside the start pays for them instead of the one that wraps.
     */
    public static void prepare() {
        InvocationHandler none = (proxy, method, args) -> null;
        Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, none);
        for (Method m : Store.class.getMethods()) {
            if (isRepository(m)) {
                Proxy.newProxyInstance(m.getReturnType().getClassLoader(), new Class<?>[]{m.getReturnType()}, none);
            }
        }
    }

    /** {@code tokens()}, {@code users()}, ...: a store method that hands out a repository, whose calls are timed. */
    private static boolean isRepository(Method m) {
        Class<?> type = m.getReturnType();
        return type.isInterface() && m.getParameterCount() == 0 && type != Store.class;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One repository's calls, each operation's two timers made on its first call. */
    private record Timed(Object target, String repository, MeterRegistry registry, Map<String, Timer[]> timers) implements InvocationHandler {
        Timed(Object target, String repository, MeterRegistry registry) {
            this(target, repository, registry, new ConcurrentHashMap<>());
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class || NOT_TIMED.contains(method.getName())) {
                return StoreMetrics.invoke(target, method, args);
            }
            Timer[] t = timers.computeIfAbsent(method.getName(), op -> new Timer[]{timer(op, "success"), timer(op, "error")});
            long start = System.nanoTime();
            boolean ok = false;
            try {
                Object result = StoreMetrics.invoke(target, method, args);
                ok = true;
                return result;
            } finally {
                t[ok ? 0 : 1].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        private Timer timer(String operation, String outcome) {
            return Timer.builder(CALLS).description("Store calls by repository, operation and outcome")
                    .tag("repository", repository).tag("operation", operation).tag("outcome", outcome).register(registry);
        }
    }
}
