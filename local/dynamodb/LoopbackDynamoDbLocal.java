import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import com.almworks.sqlite4java.SQLiteStatement;
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
 * <p>Statistics (decision D71): the engine's SQLite (3.8.7) cannot use the sequence number of those
 * indexes for a range, since it is the table's rowid; left to itself, it reads a shard's records
 * with the stream index and steps through every record the stream holds, so each {@code GetRecords}
 * cost more the more records the stream had. Planner statistics that call both indexes unselective
 * make it read by sequence number instead (from the iterator's position on), and keep the indexes
 * for the lookups they serve. The launcher checks that plan before the engine starts.
 *
 * <p>Compiled and run by {@code local/dynamodb/loopbackLauncher.ts}.
 */
public final class LoopbackDynamoDbLocal {
  /** Printed once the indexes are in place; {@code DynamoDbLocal.int.test.ts} looks for it. */
  static final String INDEXED = "quanta: stream records indexed by shard";

  /**
   * By shard (GetShardIterator, each write's shard lookup) and by stream (DescribeStream, and the
   * description GetRecords reads first), then the statistics that keep GetRecords off them (D71).
   */
  static final String[] INDEX_SQL = {
    "CREATE INDEX IF NOT EXISTS quanta_us_shard_sequence ON us (ShardID, SequenceNumber)",
    "CREATE INDEX IF NOT EXISTS quanta_us_stream_sequence ON us (StreamID, SequenceNumber)",
    // Creates sqlite_stat1 (the table is empty now, so it adds nothing for it that stays).
    "ANALYZE us",
    "DELETE FROM sqlite_stat1 WHERE tbl = 'us'",
    // A million records, half a million per shard and per stream: neither index narrows much.
    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES"
        + " ('us', 'quanta_us_shard_sequence', '1000000 500000 1'),"
        + " ('us', 'quanta_us_stream_sequence', '1000000 500000 1')",
    // Analysing sqlite_master reloads every table's statistics, the rows above included.
    "ANALYZE sqlite_master",
  };

  /** The engine's GetRecords statement (SQLiteDBAccess.getStreamRecords), as it prepares it. */
  static final String RECORDS_SQL =
      "SELECT SequenceNumber, StreamRecord, OperationType, CreationDateTime FROM us"
          + " WHERE StreamID = ? AND ShardID = ? AND SequenceNumber >= ? AND CreationDateTime > ?"
          + " ORDER BY SequenceNumber ASC LIMIT ?;";

  /** How SQLite words a read by rowid range in its plan. */
  static final String BY_SEQUENCE_NUMBER = "USING INTEGER PRIMARY KEY (rowid>?)";

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

  /** Runs {@link #INDEX_SQL} on the shared database and checks the plan (see the class comment); never throws. */
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
      System.out.println(
          "quanta: stream records not indexed as planned (" + error + "); DynamoDB Local runs, slower on streams");
    }
  }

  private static Object read(Object owner, Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  /** Runs {@link #INDEX_SQL} on the engine's own SQLite connection, in its queue, then checks GetRecords' plan. */
  private static final class CreateIndex extends SQLiteJob<Void> {
    @Override
    protected Void job(SQLiteConnection connection) throws Throwable {
      for (String sql : INDEX_SQL) connection.exec(sql);
      SQLiteStatement plan = connection.prepare("EXPLAIN QUERY PLAN " + RECORDS_SQL);
      try {
        StringBuilder steps = new StringBuilder();
        while (plan.step()) steps.append(plan.columnString(3));
        if (!steps.toString().contains(BY_SEQUENCE_NUMBER)) {
          throw new IllegalStateException("GetRecords would not read by sequence number: " + steps);
        }
      } finally {
        plan.dispose();
      }
      return null;
    }
  }
}
