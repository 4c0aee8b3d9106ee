package dev.sluice.record;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A DataSource that can be switched "down" (every connection attempt fails) and counts connections taken. */
final class TestDataSource {

    volatile boolean down;
    /** Thrown once by the next connection attempt, then cleared: an Error from the JVM (an OutOfMemoryError). */
    volatile Error errorOnce;
    final AtomicInteger connections = new AtomicInteger();
    final DataSource dataSource;

    TestDataSource(DataSource real) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        Error once = errorOnce;
                        if (once != null) {
                            errorOnce = null;
                            throw once;
                        }
                        if (down) {
                            throw new SQLTransientConnectionException("database down (test)", "08001");
                        }
                        connections.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Always down: for a process whose database never answers. */
    static DataSource unreachable() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    throw new SQLException("database down (test)", "08001");
                });
    }
}
