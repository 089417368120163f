"""What the load benchmark asks of every server (issue 5, docs/performance.md)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    connections: int
    pipeline: int = 1  # requests per write (bench/pipeline.lua)
    hold: int = 0  # idle keep-alive connections held while the load runs (C10K)
    sleep_ms: int = 0  # for /sleep: the ideal is connections / sleep time
    body: str = ""  # a JSON body to POST (bench/post.lua) instead of a GET

    @property
    def ideal_requests_per_s(self):
        return self.connections / (self.sleep_ms / 1000) if self.sleep_ms else None

    @property
    def label(self):
        text = f"{self.path} c={self.connections}"
        if self.pipeline > 1:
            text += f", pipelined x{self.pipeline}"
        if self.hold:
            text += f", {self.hold:,} idle held"
        if self.body:
            text = f"POST {text}, a {len(self.body)}-byte JSON body"
        return text


SLEEP_MS = 20
SCENARIOS = {s.name: s for s in [
    Scenario("plaintext", "/plaintext", 64),
    Scenario("json", "/json", 64),
    Scenario("sleep-64", f"/sleep?ms={SLEEP_MS}", 64, sleep_ms=SLEEP_MS),
    Scenario("sleep-256", f"/sleep?ms={SLEEP_MS}", 256, sleep_ms=SLEEP_MS),
    Scenario("sleep-1024", f"/sleep?ms={SLEEP_MS}", 1024, sleep_ms=SLEEP_MS),
    Scenario("pipelined", "/plaintext", 64, pipeline=16),
    Scenario("c10k", "/plaintext", 64, hold=10_000),
]}

QUICK_SCENARIOS = ["plaintext", "json", "sleep-256", "pipelined"]

# The database suite (bench/run.sh --suite db): TechEmpower's database tests at 256
# connections, the counts the issue names.
DB_CONNECTIONS = 256
DB_SCENARIOS = {s.name: s for s in [
    Scenario("db", "/db", DB_CONNECTIONS),
    Scenario("queries", "/queries?queries=20", DB_CONNECTIONS),
    Scenario("fortunes", "/fortunes", DB_CONNECTIONS),
    Scenario("updates", "/updates?queries=20", DB_CONNECTIONS),
    Scenario("cached-queries", "/cached-queries?count=100", DB_CONNECTIONS),
]}

# The typed-handler suite (bench/run.sh --suite model): a 5-field model read, validated
# and answered back (bench/apps/model_app.cpp, bench/apps/fastapi_model.py).
MODEL_BODY = ('{"customer":"Ada Lovelace","quantity":3,"price":19.95,'
              '"tags":["books","gift"],"note":"leave at the door"}')
MODEL_SCENARIOS = {s.name: s for s in [
    Scenario("model", "/model", 64, body=MODEL_BODY),
]}
