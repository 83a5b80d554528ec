package dev.unitguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** An agent on a Unix socket that answers one request with a canned answer and keeps the raw request. */
final class FakeAgent implements AutoCloseable {

    final CompletableFuture<String> request = new CompletableFuture<>();
    private final ServerSocketChannel server;

    FakeAgent(Path socket, int status, String contentType, String body) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> serve(status, contentType, body), "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(int status, String contentType, String body) {
        try (SocketChannel client = server.accept()) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (!complete(in.toString(StandardCharsets.UTF_8)) && client.read(buffer) >= 0) {
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            request.complete(in.toString(StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n";
            client.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            client.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            request.completeExceptionally(e);
        }
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(text);
        return !m.find() || text.getBytes(StandardCharsets.UTF_8).length - end - 4 >= Integer.parseInt(m.group(1));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
