import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts a real Neo4j 5.26 Community server in this JVM for actorgraph's tests and benchmarks.
 *
 * <p>Usage: {@code Neo4jTestServer HOME PORT [PASSWORD]}. The database lives in HOME, so stopping
 * and starting again on the same HOME keeps the data (and a crash is recovered from the
 * transaction log, as in a real server). Bolt listens on 127.0.0.1:PORT only; HTTP is off; usage
 * reporting is off. With a PASSWORD (8+ characters) authentication is enabled and the user
 * {@code neo4j} gets that password. Prints {@code NEO4J_READY bolt://127.0.0.1:PORT} when ready,
 * then blocks until the process is terminated (SIGTERM shuts the database down cleanly). With
 * {@code -Dactorgraph.watchStdin=true} it also shuts down when its standard input closes, so a
 * server started by a test run that is killed does not outlive it.
 */
public final class Neo4jTestServer {
    private Neo4jTestServer() {}

    /** Set the password of {@code neo4j}; a restart on the same HOME finds it already set. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage()) + " " + e.getCause();
            if (!message.contains("cannot be the same")) {
                throw e;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Neo4jTestServer HOME PORT [PASSWORD]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args.length == 3 ? args[2] : null;
        if (password != null && password.length() < 8) {
            System.err.println("password must have 8 characters or more");
            System.exit(2);
        }
        long pageCache = Long.getLong("actorgraph.pagecache", 128L * 1024 * 1024);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.routing_listen_address,
                        new SocketAddress("127.0.0.1", 0))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            if (password != null) {
                setPassword(dbms, password);
            }
            // Wait until the default database accepts transactions before announcing readiness.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                    .executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);  // runs the shutdown hook
        }

        if (Boolean.getBoolean("actorgraph.watchStdin")) {
            // The parent keeps our stdin open; when it dies (even by SIGKILL) stdin reaches EOF
            // and the server shuts down instead of living on as an orphan.
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // ignore input
                    }
                } catch (java.io.IOException e) {
                    // treat like EOF
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        System.out.println("NEO4J_READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
