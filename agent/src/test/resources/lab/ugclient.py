#!/usr/bin/python3
"""Raw HTTP clients for SecurityLimitsIT, run inside the lab as the user under test.

flood N SECONDS: opens N connections to the TCP listener and N to the Unix socket, sends nothing, prints "held",
  then for SECONDS reopens every connection the agent closes; prints the counts at the end.
raw unix|tcp: sends stdin as one request and prints the answer as it came, then "closed after S s".
slow: Content-Length 1000 with 10 bytes of body on the Unix socket, then nothing; prints the answer and the time.
"""
import socket
import sys
import time

SOCKET = "/run/unitguard/agent.sock"
TCP = ("127.0.0.1", 9647)


def connect(kind, timeout=5.0):
    s = socket.socket(socket.AF_UNIX if kind == "unix" else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(SOCKET if kind == "unix" else TCP)
    return s


def read_all(s, limit):
    s.settimeout(limit)
    data = b""
    start = time.monotonic()
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data, time.monotonic() - start


def closed_by_peer(s):
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def flood(n, seconds):
    held = {"tcp": [], "unix": []}
    failed = {"tcp": 0, "unix": 0}
    closed = {"tcp": 0, "unix": 0}
    for i in range(n):
        for kind in ("tcp", "unix"):
            try:
                held[kind].append(connect(kind, 2.0))
            except OSError:
                failed[kind] += 1
    print("held", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        # An attacker reconnects what the agent closed, to keep the pressure on while the member is served.
        for kind in ("tcp", "unix"):
            still = []
            for s in held[kind]:
                if closed_by_peer(s):
                    closed[kind] += 1
                    s.close()
                else:
                    still.append(s)
            while len(still) < n and time.monotonic() < end:
                try:
                    still.append(connect(kind, 2.0))
                except OSError:
                    failed[kind] += 1
                    break
            held[kind] = still
        time.sleep(0.5)
    for kind in ("tcp", "unix"):
        open_now = sum(1 for s in held[kind] if not closed_by_peer(s))
        print(f"{kind}: attempted {n} and reconnected, connect-failed {failed[kind]}, closed-by-agent {closed[kind]},"
              f" open at the end {open_now}", flush=True)


def raw(kind):
    s = connect(kind)
    s.sendall(sys.stdin.buffer.read())
    data, took = read_all(s, 60)
    sys.stdout.write(data.decode("utf-8", "replace"))
    print(f"\nclosed after {took:.1f} s")


def slow():
    s = connect("unix")
    s.sendall(b"POST /v1/units/dbus.service/check HTTP/1.1\r\nHost: localhost\r\n"
              b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"set\": {}")
    data, took = read_all(s, 120)
    sys.stdout.write(data.decode("utf-8", "replace"))
    print(f"\nclosed after {took:.1f} s")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "flood":
        flood(int(sys.argv[2]), float(sys.argv[3]))
    elif mode == "raw":
        raw(sys.argv[2])
    else:
        slow()
