import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local bound to 127.0.0.1 only. DynamoDB Local has no option for the address it listens
 * on: its server is a Jetty {@code Server(port)}, whose connector binds every interface. This
 * launcher builds the server exactly as DynamoDB Local's own {@code ServerRunner} does, from the same
 * command-line arguments, sets the connector's host to 127.0.0.1 before the server starts, and
 * starts it. Telemetry is never configured, so none is sent. Compiled and run by
 * {@code local/dynamodb/loopbackLauncher.ts}; it fails loudly (and the local cloud with it) if a
 * DynamoDB Local release renames what it relies on.
 */
public final class LoopbackDynamoDbLocal {
  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's server has no connector");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
  }
}
