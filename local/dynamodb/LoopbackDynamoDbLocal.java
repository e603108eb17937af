import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.AbstractLocalDynamoDBServerHandler;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.shared.access.LocalDBClient;
import software.amazon.dynamodb.services.local.shared.access.sqlite.SQLiteDBAccess;

/**
 * DynamoDB Local bound to 127.0.0.1 only, with its stream records indexed by shard and by stream.
 *
 * <p>Loopback: DynamoDB Local has no option for the address it listens on: its server is a Jetty
 * {@code Server(port)}, whose connector binds every interface. This launcher builds the server
 * exactly as DynamoDB Local's own {@code ServerRunner} does, from the same command-line arguments,
 * sets the connector's host to 127.0.0.1 before the server starts, and starts it. Telemetry is never
 * configured, so none is sent. It fails loudly (and the local cloud with it) if a DynamoDB Local
 * release renames what this relies on.
 *
 * <p>Index (decision D65): DynamoDB Local keeps every table's stream records in one SQLite table,
 * {@code us}, keyed by sequence number only, and looks them up by shard or stream: each write to a
 * table with a stream, each {@code GetRecords} and each {@code DescribeStream} scans that table, so
 * every such call costs more the longer the engine runs. Before the server starts, this launcher adds indexes
 * on {@code (ShardID, SequenceNumber)} and {@code (StreamID, SequenceNumber)} through the engine's
 * own SQLite queue. An index changes how SQLite finds rows, never which rows: the answers stay the
 * engine's. If a release renames what this relies on, it prints one line and the engine runs
 * unindexed (slower, still correct).
 *
 * <p>Compiled and run by {@code local/dynamodb/loopbackLauncher.ts}.
 */
public final class LoopbackDynamoDbLocal {
  /** Printed once the indexes are in place; {@code DynamoDbLocal.int.test.ts} looks for it. */
  static final String INDEXED = "quanta: stream records indexed by shard";

  /** By shard (GetRecords, GetShardIterator, each write's shard lookup) and by stream (DescribeStream). */
  static final String[] INDEX_SQL = {
    "CREATE INDEX IF NOT EXISTS quanta_us_shard_sequence ON us (ShardID, SequenceNumber)",
    "CREATE INDEX IF NOT EXISTS quanta_us_stream_sequence ON us (StreamID, SequenceNumber)",
  };

  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Server jetty = (Server) read(proxy, DynamoDBProxyServer.class, "server");
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's server has no connector");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    indexStreamRecords(proxy);
    proxy.start();
  }

  /** Adds the indexes of {@link #INDEX_SQL} to the shared database (see the class comment); never throws. */
  private static void indexStreamRecords(DynamoDBProxyServer proxy) {
    try {
      Object handler = read(proxy, DynamoDBProxyServer.class, "serverHandler");
      Object requests = read(handler, AbstractLocalDynamoDBServerHandler.class, "primaryHandler");
      // With -sharedDb every caller gets the one database, whatever the key.
      Method database = LocalDynamoDBRequestHandler.class.getDeclaredMethod("getHandler", String.class);
      database.setAccessible(true);
      Object client = database.invoke(requests, "");
      Object access = read(client, LocalDBClient.class, "dbAccess");
      SQLiteQueue queue = (SQLiteQueue) read(access, SQLiteDBAccess.class, "queue");
      CreateIndex job = queue.execute(new CreateIndex());
      job.complete();
      if (job.getError() != null) throw job.getError();
      System.out.println(INDEXED);
    } catch (Throwable error) {
      System.out.println("quanta: stream records not indexed (" + error + "); DynamoDB Local runs without the index");
    }
  }

  private static Object read(Object owner, Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  /** Runs {@link #INDEX_SQL} on the engine's own SQLite connection, in its queue. */
  private static final class CreateIndex extends SQLiteJob<Void> {
    @Override
    protected Void job(SQLiteConnection connection) throws Throwable {
      for (String sql : INDEX_SQL) connection.exec(sql);
      return null;
    }
  }
}
