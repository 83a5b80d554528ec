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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An agent on a Unix socket that answers one request with a canned answer and keeps the raw request. */
final class FakeAgent implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: (\\d+)");

    /** What the fake agent does once the whole request is in: writes its answer, or nothing. */
    interface Answer {
        void write(SocketChannel client) throws IOException;
    }

    final CompletableFuture<String> request = new CompletableFuture<>();
    private final ServerSocketChannel server;

    FakeAgent(Path socket, int status, String contentType, String body) throws IOException {
        this(socket, client -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write(client, "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n");
            client.write(ByteBuffer.wrap(bytes));
        });
    }

    FakeAgent(Path socket, Answer answer) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> serve(answer), "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    static void write(SocketChannel client, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
    }

    private void serve(Answer answer) {
        try (SocketChannel client = server.accept()) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (!complete(in.toString(StandardCharsets.UTF_8)) && client.read(buffer) >= 0) {
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            request.complete(in.toString(StandardCharsets.UTF_8));
            answer.write(client);
        } catch (IOException e) {
            request.completeExceptionally(e);
        }
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher m = CONTENT_LENGTH.matcher(text);
        return !m.find() || text.getBytes(StandardCharsets.UTF_8).length - end - 4 >= Integer.parseInt(m.group(1));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
