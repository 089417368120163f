#!/usr/bin/env bash
# The demo's routes (docs/demo.md) checked by real HTTP clients over loopback: curl,
# Python requests and aiohttp, Node's fetch, ApacheBench and h2load (HTTP/1.1).
# Usage: real_clients.sh PATH_TO_DEMO
set -euo pipefail
demo=$1
python=/usr/bin/python3   # Debian's, with python3-requests and python3-aiohttp
. "$(dirname "$0")/start_server.sh"
start_server "$demo" 2
base="http://127.0.0.1:$port"
failures=0 passed=0
check() {  # name command...
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok    $name"
  else failures=$((failures + 1)); echo "FAIL  $name"; echo "$out" | tail -15 | sed 's/^/      /'; fi
}

head -c 3000000 /dev/urandom > "$work/blob"

check "curl GET /plaintext" bash -c "[ \"\$(curl -sf $base/plaintext)\" = 'Hello, World!' ]"
check "curl GET /json" bash -c "curl -sf $base/json | grep -qx '{\"message\":\"Hello, World!\"}'"
check "curl 404 and 405 with Allow" bash -c "
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' $base/missing)\" = 404 ] &&
  curl -s -i -X DELETE $base/json | tr -d '\r' | grep -qi '^allow: GET, HEAD$'"
check "curl POST /echo (Content-Length, 3 MB, 100-continue)" bash -c "
  curl -sf --data-binary @$work/blob -H 'Expect: 100-continue' $base/echo | cmp - $work/blob"
check "curl POST /echo (chunked upload)" bash -c "
  curl -sf -H 'Transfer-Encoding: chunked' --data-binary @$work/blob $base/echo | cmp - $work/blob"
check "curl GET /stream?n=100 (chunked response)" bash -c "[ \"\$(curl -sf '$base/stream?n=100' | wc -l)\" = 100 ]"
check "curl HEAD /plaintext" bash -c "curl -sf -I $base/plaintext | tr -d '\r' | grep -qi '^content-length: 13$'"
check "curl HTTP/1.0" bash -c "[ \"\$(curl -sf -0 $base/plaintext)\" = 'Hello, World!' ]"
check "curl JSON CRUD on /items" bash -c "
  curl -sf -X POST -H 'content-type: application/json' -d '{\"name\":\"from curl\"}' $base/items | grep -q '\"name\":\"from curl\"' &&
  curl -sf $base/items | grep -q 'from curl' &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{\"name\":1}' $base/items)\" = 422 ]"
check "curl SSE /events/clock" bash -c "
  [ \"\$(curl -sfN '$base/events/clock?interval_ms=10&count=3' | grep -c '^event: tick')\" = 3 ]"
check "curl static page with ETag and 304" bash -c "
  etag=\$(curl -sf -D - -o /dev/null $base/static/ | tr -d '\r' | sed -n 's/^etag: //Ip') &&
  [ -n \"\$etag\" ] &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' -H \"If-None-Match: \$etag\" $base/static/)\" = 304 ]"

check "python requests (keep-alive session, generator upload)" "$python" - "$base" <<'PY'
import sys, requests
base = sys.argv[1]
with requests.Session() as s:
    for _ in range(50):
        r = s.get(base + "/json"); assert r.status_code == 200 and r.json() == {"message": "Hello, World!"}
    pieces = [bytes([i]) * 10000 for i in range(50)]
    r = s.post(base + "/echo", data=iter(pieces))          # chunked transfer encoding
    assert r.content == b"".join(pieces), len(r.content)
    r = s.get(base + "/stream?n=5", stream=True)
    assert b"".join(r.iter_content(None)) == b"".join(b"chunk %d\n" % i for i in range(5))
    assert s.delete(base + "/plaintext").status_code == 405
PY

check "python aiohttp (200 concurrent requests, /sleep)" "$python" - "$base" <<'PY'
import sys, time, asyncio, aiohttp
base = sys.argv[1]
async def main():
    async with aiohttp.ClientSession() as s:
        async def one(i):
            async with s.get(f"{base}/sleep?ms=200") as r:
                assert r.status == 200 and await r.text() == "ok"
        start = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(200)))
        elapsed = time.monotonic() - start
        assert elapsed < 3, elapsed       # concurrent waits, not 200 x 0.2 s
        async with s.post(f"{base}/echo", data=b"x" * 100000) as r:
            assert await r.read() == b"x" * 100000
asyncio.run(main())
PY

check "node fetch" node -e "
  const base = process.argv[1];
  (async () => {
    const j = await (await fetch(base + '/json')).json();
    if (j.message !== 'Hello, World!') throw new Error('json');
    const body = 'node'.repeat(50000);
    const echoed = await (await fetch(base + '/echo', {method: 'POST', body})).text();
    if (echoed !== body) throw new Error('echo');
    const s = await (await fetch(base + '/stream?n=3')).text();
    if (s !== 'chunk 0\nchunk 1\nchunk 2\n') throw new Error('stream');
  })().catch(e => { console.error(e); process.exit(1); });" "$base"

check "ab -k (2000 requests, 20 concurrent)" bash -c "
  ab -q -k -n 2000 -c 20 $base/plaintext > $work/ab.txt &&
  grep -q '^Failed requests: *0$' $work/ab.txt && grep -q '^Complete requests: *2000$' $work/ab.txt &&
  grep -q '^Keep-Alive requests: *2000$' $work/ab.txt"
check "h2load --h1 (2000 requests, 10 clients)" bash -c "
  h2load --h1 -n 2000 -c 10 $base/json > $work/h2load.txt &&
  grep -q 'requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored' $work/h2load.txt &&
  grep -q 'status codes: 2000 2xx' $work/h2load.txt"

if grep -q "ERROR" "$work/server.log"; then failures=$((failures + 1)); echo "FAIL  server logged errors:"; grep ERROR "$work/server.log"; fi
if ! kill -0 "$server" 2>/dev/null; then
  failures=$((failures + 1)); echo "FAIL  the server exited; its log ends:"; tail -60 "$work/server.log"
fi
echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
