"""WebSocket conformance cases for cogi, modelled on the Autobahn|Testsuite's case list
(which runs on Python 2 only), against the demo's /ws/echo over loopback with raw frames
from a small client written here. Each case names the rule it checks (RFC 6455, RFC 7692)
and the Autobahn section it follows. The server runs with --ws-max-size 1048576 and
--ws-per-message-deflate.

Usage: websocket_conformance.py PORT   (run by websocket_conformance.sh)"""
import base64
import os
import socket
import struct
import sys
import time
import zlib

PORT = int(sys.argv[1])
MAX_SIZE = 1 << 20
TIMEOUT = 10.0

# ---- a raw client -------------------------------------------------------------------

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


class Closed(Exception):
    pass


class Client:
    def __init__(self, extensions=None):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
        if extensions:
            request += f"Sec-WebSocket-Extensions: {extensions}\r\n"
        self.sock.sendall((request + "\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        self.deflate = None
        self.inflate = None

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise Closed()
        self.buffer += chunk

    def send_frame(self, opcode, payload=b"", fin=True, rsv=0, mask=True):
        head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
        n = len(payload)
        m = 0x80 if mask else 0
        if n < 126:
            head += bytes([m | n])
        elif n < 65536:
            head += bytes([m | 126]) + struct.pack("!H", n)
        else:
            head += bytes([m | 127]) + struct.pack("!Q", n)
        if mask:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if n < 4096 else _mask(payload, key)
            head += key
        self.sock.sendall(head + payload)

    def send_compressed(self, opcode, message):
        data = self.deflate.compress(message) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(b"\x00\x00\xff\xff")
        self.send_frame(opcode, data[:-4], rsv=4)

    def recv_frame(self):
        while len(self.buffer) < 2:
            self._fill()
        b0, b1 = self.buffer[0], self.buffer[1]
        if b1 & 0x80:
            raise AssertionError("the server masked a frame")
        n, at = b1 & 0x7F, 2
        if n == 126:
            while len(self.buffer) < 4:
                self._fill()
            n, at = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif n == 127:
            while len(self.buffer) < 10:
                self._fill()
            n, at = struct.unpack("!Q", self.buffer[2:10])[0], 10
        while len(self.buffer) < at + n:
            self._fill()
        payload, self.buffer = self.buffer[at:at + n], self.buffer[at + n:]
        return b0 & 0x80 != 0, (b0 >> 4) & 7, b0 & 0x0F, payload

    def recv_message(self):
        """The next data message (pings answered, pongs skipped): (opcode, payload, compressed)."""
        parts, first_opcode, compressed = [], None, False
        while True:
            fin, rsv, opcode, payload = self.recv_frame()
            if opcode == PING:
                self.send_frame(PONG, payload)
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                raise AssertionError(f"closed with {close_code(payload)} while a message was expected")
            if first_opcode is None:
                first_opcode, compressed = opcode, rsv & 4 != 0
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                if compressed:
                    data = self.inflate.decompress(data + b"\x00\x00\xff\xff")
                return first_opcode, data, compressed

    def expect_close(self, codes):
        """Reads until the server's close frame; its code must be in `codes`, and the TCP
        connection must end after it."""
        while True:
            try:
                fin, rsv, opcode, payload = self.recv_frame()
            except Closed:
                raise AssertionError("the connection closed without a close frame")
            if opcode == CLOSE:
                break
        code = close_code(payload)
        if code not in codes:
            raise AssertionError(f"close code {code}, expected one of {sorted(codes, key=str)}")
        self.send_frame(CLOSE, payload[:2])
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                if not self.sock.recv(1 << 16):
                    return code
            except (ConnectionResetError, socket.timeout):
                return code
        raise AssertionError("the server did not close the TCP connection")

    def close(self):
        self.sock.close()


def _mask(payload, key):
    whole = (key * (len(payload) // 4 + 1))[:len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(whole, "big")).to_bytes(len(payload), "big")


def close_code(payload):
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


# ---- the cases ----------------------------------------------------------------------

cases = []


def case(section, rule):
    def register(fn):
        cases.append((section, rule, fn))
        return fn
    return register


def echo_case(section, rule, opcode, payload, fragments=None):
    def run():
        c = Client()
        if fragments:
            for i in range(0, len(payload), fragments):
                c.send_frame(opcode if i == 0 else CONTINUATION, payload[i:i + fragments], fin=i + fragments >= len(payload))
        else:
            c.send_frame(opcode, payload)
        got_opcode, got, _ = c.recv_message()
        assert got_opcode == opcode and got == payload, f"echo differs ({len(got)} of {len(payload)} bytes)"
        c.send_frame(CLOSE, struct.pack("!H", 1000))
        c.expect_close({1000})
    cases.append((section, rule, run))


def protocol_error_case(section, rule, frames, codes=(1002,)):
    def run():
        c = Client()
        for frame in frames:
            c.send_frame(**frame)
        c.expect_close(set(codes))
    cases.append((section, rule, run))


# 1. Framing: every length encoding, text and binary (RFC 6455 §5.2).
for n in (0, 125, 126, 127, 128, 65535, 65536, 500_000):
    echo_case("1.1", f"§5.2 text message of {n} bytes comes back whole", TEXT, b"*" * n)
    echo_case("1.2", f"§5.2 binary message of {n} bytes comes back whole", BINARY, os.urandom(n))


# 2. Pings and pongs (§5.5.2, §5.5.3).
@case("2.2", "§5.5.2 a ping is answered with a pong carrying its payload")
def ping_payload():
    c = Client()
    for payload in (b"", b"Hello, world!", bytes(range(125))):
        c.send_frame(PING, payload)
        fin, rsv, opcode, got = c.recv_frame()
        assert opcode == PONG and got == payload, f"pong {opcode} {got!r}"


protocol_error_case("2.5", "§5.5 a ping of 126 bytes (control frames <= 125) fails with 1002",
                    [dict(opcode=PING, payload=b"x" * 126)])


@case("2.6", "§5.5.3 an unsolicited pong is ignored")
def unsolicited_pong():
    c = Client()
    c.send_frame(PONG, b"unsolicited")
    c.send_frame(TEXT, b"after")
    assert c.recv_message()[1] == b"after"


@case("2.10", "§5.5.2 ten pings in a row get ten pongs, in order")
def many_pings():
    c = Client()
    for i in range(10):
        c.send_frame(PING, f"ping {i}".encode())
    for i in range(10):
        fin, rsv, opcode, got = c.recv_frame()
        assert opcode == PONG and got == f"ping {i}".encode()


# 3. Reserved bits (§5.2: nonzero without an extension that defines them fails).
# A valid message just before the bad frame may or may not be echoed first: the server
# fails the connection as it reads the bad frame, and sends nothing after its close
# (Autobahn counts both outcomes as passing, the echo as "strict").
for rsv in (1, 2, 3, 5, 6, 7):
    protocol_error_case("3.x", f"§5.2 RSV bits {rsv:03b} without a negotiated extension fail with 1002",
                        [dict(opcode=TEXT, payload=b"small"), dict(opcode=TEXT, payload=b"bad", rsv=rsv)])
protocol_error_case("3.7", "§5.2 RSV bits on a ping fail with 1002", [dict(opcode=PING, payload=b"x", rsv=2)])

# 4. Opcodes (§5.2: reserved opcodes fail).
for op in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15):
    protocol_error_case("4.x", f"§5.2 reserved opcode {op} fails with 1002", [dict(opcode=op, payload=b"x")])

# 5. Fragmentation (§5.4).
echo_case("5.3", "§5.4 a text message in fragments of one byte is one message", TEXT, b"fragmented text", fragments=1)
echo_case("5.4", "§5.4 a binary message in 1000-byte fragments", BINARY, os.urandom(100_000), fragments=1000)
protocol_error_case("5.1", "§5.5 a fragmented ping fails with 1002", [dict(opcode=PING, payload=b"x", fin=False)])
protocol_error_case("5.9", "§5.4 a continuation with no message to continue fails with 1002",
                    [dict(opcode=CONTINUATION, payload=b"orphan")])
protocol_error_case("5.18", "§5.4 a new text frame inside a fragmented message fails with 1002",
                    [dict(opcode=TEXT, payload=b"first", fin=False), dict(opcode=TEXT, payload=b"second")])
protocol_error_case("1.x", "§5.1 an unmasked client frame fails with 1002",
                    [dict(opcode=TEXT, payload=b"plain", mask=False)])


@case("5.6", "§5.4 control frames between fragments are handled at once")
def ping_between_fragments():
    c = Client()
    c.send_frame(TEXT, b"frag", fin=False)
    c.send_frame(PING, b"in between")
    fin, rsv, opcode, got = c.recv_frame()
    assert opcode == PONG and got == b"in between", "the pong comes before the message ends"
    c.send_frame(CONTINUATION, b"ment")
    assert c.recv_message()[1] == b"fragment"


# 6. UTF-8 (§8.1): valid text comes back; invalid text fails with 1007, at once.
valid_utf8 = ["κόσμε", "\u0080", "\u07ff", "\u0800", "\uffff", "\U00010000", "\U0010ffff", "\ufeff", "Hello-µ@ßöäüàá-UTF-8!!"]
for text in valid_utf8:
    echo_case("6.2", f"§8.1 valid UTF-8 {text.encode()!r} comes back", TEXT, text.encode())
    echo_case("6.2", f"§8.1 valid UTF-8 {text.encode()!r} in one-byte fragments", TEXT, text.encode(), fragments=1)
invalid_utf8 = [b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited", b"\x80", b"\xbf", b"\xc0\xaf",
                b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
                b"\xfe", b"\xff", b"\xc1\xbf", b"\xf8\x88\x80\x80\x80", b"ok\xe2\x82"]
for data in invalid_utf8:
    protocol_error_case("6.3", f"§8.1 invalid UTF-8 {data!r} fails with 1007", [dict(opcode=TEXT, payload=data)], codes=(1007,))


@case("6.4", "§8.1 invalid UTF-8 fails fast: before the message's end arrives")
def fail_fast():
    c = Client()
    c.send_frame(TEXT, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80", fin=False)
    c.expect_close({1007})  # the rest of the message is never sent


# 7. Closing (§5.5.1, §7.4).
@case("7.1", "§5.5.1 a close with no body is answered and TCP closed by the server")
def close_empty():
    c = Client()
    c.send_frame(CLOSE, b"")
    c.expect_close({None, 1000})


@case("7.1.6", "§5.5.1 nothing is echoed after the client's close")
def data_after_close():
    c = Client()
    c.send_frame(CLOSE, struct.pack("!H", 1000))
    c.send_frame(TEXT, b"too late")
    fin, rsv, opcode, payload = c.recv_frame()
    assert opcode == CLOSE, f"got opcode {opcode} before the close"


for code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999):
    protocol_error_case("7.7", f"§7.4 valid close code {code} is echoed",
                        [dict(opcode=CLOSE, payload=struct.pack("!H", code) + b"reason")], codes=(code,))
for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535):
    protocol_error_case("7.9", f"§7.4 invalid close code {code} fails with 1002",
                        [dict(opcode=CLOSE, payload=struct.pack("!H", code))])
protocol_error_case("7.3", "§5.5.1 a one-byte close body fails with 1002", [dict(opcode=CLOSE, payload=b"\x03")])
protocol_error_case("7.5", "§5.5.1 a close reason that is not UTF-8 fails with 1007",
                    [dict(opcode=CLOSE, payload=struct.pack("!H", 1000) + b"\xce\xba\xed\xa0\x80")], codes=(1007,))
protocol_error_case("7.3.6", "§5.5 a close body of 126 bytes fails with 1002",
                    [dict(opcode=CLOSE, payload=struct.pack("!H", 1000) + b"x" * 124)])

# 9. Limits: large messages up to the limit, and past it (1009).
echo_case("9.1", "1 MiB of text in one frame (the limit)", TEXT, b"x" * MAX_SIZE)
echo_case("9.2", "1 MiB of binary in 64-byte fragments", BINARY, os.urandom(MAX_SIZE), fragments=65536 // 1024)
protocol_error_case("9.x", "a message over --ws-max-size fails with 1009 (from the frame header)",
                    [dict(opcode=BINARY, payload=b"x" * (MAX_SIZE + 1))], codes=(1009,))
protocol_error_case("9.x", "fragments adding up past --ws-max-size fail with 1009",
                    [dict(opcode=BINARY, payload=b"x" * (MAX_SIZE // 2 + 1), fin=False),
                     dict(opcode=CONTINUATION, payload=b"x" * (MAX_SIZE // 2 + 1))], codes=(1009,))


# 12, 13. permessage-deflate (RFC 7692).
def deflate_case(section, offer, expect_params, client_bits=15, client_takeover=True, server_takeover=True):
    def run():
        c = Client(offer)
        agreed = c.headers.get("sec-websocket-extensions", "")
        assert agreed.split(";")[0].strip() == "permessage-deflate", f"not agreed: {agreed!r}"
        params = {p.strip() for p in agreed.split(";")[1:]}
        assert params == set(expect_params), f"agreed {params}, expected {set(expect_params)}"
        server_bits = 15
        for p in params:
            if p.startswith("server_max_window_bits="):
                server_bits = int(p.split("=")[1])
        c.deflate = zlib.compressobj(6, zlib.DEFLATED, -client_bits)
        c.inflate = zlib.decompressobj(-server_bits)
        messages = [b"Hello, compressed world! " * 40, os.urandom(3000), b"", ("ü" * 5000).encode()]
        for i, message in enumerate(messages * 3):
            opcode = BINARY if i % 4 == 1 else TEXT
            c.send_compressed(opcode, message)
            if not client_takeover:
                c.deflate = zlib.compressobj(6, zlib.DEFLATED, -client_bits)
            got_opcode, got, compressed = c.recv_message()
            assert got == message and got_opcode == opcode, f"message {i} differs"
            if len(message) >= 64:
                assert compressed, f"message {i} came back uncompressed"
            if not server_takeover and compressed:
                c.inflate = zlib.decompressobj(-server_bits)
        c.send_frame(CLOSE, struct.pack("!H", 1000))
        c.expect_close({1000})
    cases.append((section, f"RFC 7692 offer {offer!r}: agreed and messages compressed both ways", run))


deflate_case("12.1", "permessage-deflate", ["server_max_window_bits=12"])
deflate_case("13.2", "permessage-deflate; client_no_context_takeover",
             ["client_no_context_takeover", "server_max_window_bits=12"], client_takeover=False)
deflate_case("13.3", "permessage-deflate; server_no_context_takeover",
             ["server_no_context_takeover", "server_max_window_bits=12"], server_takeover=False)
deflate_case("13.4", "permessage-deflate; server_max_window_bits=9", ["server_max_window_bits=9"])
deflate_case("13.5", "permessage-deflate; client_max_window_bits=9",
             ["server_max_window_bits=12", "client_max_window_bits=9"], client_bits=9)
deflate_case("13.6", "permessage-deflate; client_max_window_bits",
             ["server_max_window_bits=12", "client_max_window_bits=12"], client_bits=12)
deflate_case("13.7", "permessage-deflate; server_max_window_bits=8, permessage-deflate",
             ["server_max_window_bits=12"])


@case("12.x", "RFC 7692 §6.1: RSV1 on a continuation frame fails with 1002")
def rsv1_on_continuation():
    c = Client("permessage-deflate")
    c.send_frame(TEXT, b"x", fin=False)
    c.send_frame(CONTINUATION, b"y", rsv=4)
    c.expect_close({1002})


@case("12.x", "RFC 7692 §7.2.2: a compressed message that will not inflate fails the connection")
def corrupt_deflate():
    c = Client("permessage-deflate")
    c.send_frame(BINARY, b"\xff\xff\xff\xff not deflate", rsv=4)
    c.expect_close({1007, 1002})


@case("12.x", "RFC 7692: a compressed message inflating past --ws-max-size fails with 1009")
def deflate_bomb():
    c = Client("permessage-deflate")
    c.deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.send_compressed(BINARY, b"\x00" * (4 * MAX_SIZE))
    c.expect_close({1009})


# ---- run ----------------------------------------------------------------------------

failures = 0
for section, rule, fn in cases:
    try:
        fn()
        print(f"ok    {section:6} {rule}")
    except Exception as error:  # a case's failure, reported with the rule it checks
        failures += 1
        print(f"FAIL  {section:6} {rule}: {type(error).__name__}: {error}")
print(f"{len(cases) - failures} of {len(cases)} cases passed")
sys.exit(1 if failures else 0)
