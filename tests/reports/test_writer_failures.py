"""The writer keeps every finished result whatever makes a flush fail: concurrent
flushes, rows of the wrong type, and writes that fail (injected at the one place a
flush touches the file)."""
from __future__ import annotations

import errno
import threading

import pytest
from test_store_schema import rows, unit_row

from benchrun.storage import BatchWriter, Store
from benchrun.storage.writer import WriteFailed


class FailingWrites(BatchWriter):
    """A real writer on a real file whose first `failures` writes fail like a full disk."""

    def __init__(self, *args, failures: int, **kwargs):
        self.failures_left = failures
        self.attempts = 0
        super().__init__(*args, **kwargs)

    def _write(self, batch, timeout):
        self.attempts += 1
        if self.failures_left:
            self.failures_left -= 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._write(batch, timeout)


def sample(i, **extra):
    return {"task": f"t{i % 4}", "model": "m", "strategy": "s", "sample": i, "passed": i % 2 == 0, **extra}


def test_concurrent_flushes_write_every_row_once(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    writer = BatchWriter(store, "r-1", interval=0.001)

    def record(first):
        for i in range(first, first + 100):
            writer.record_unit(unit_row("r-1", f"u{i}"), [sample(i)])
            writer.log_metrics(f"u{i}", [(0, "loss", float(i))])
            if i % 10 == 0:
                writer.flush()  # from this thread while the writer's own thread flushes too

    threads = [threading.Thread(target=record, args=(k * 100,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    assert rows(store.path, "SELECT count(*), count(DISTINCT unit_id) FROM units") == [(800, 800)]
    assert rows(store.path, "SELECT count(*), count(DISTINCT unit_id) FROM samples") == [(800, 800)]
    assert rows(store.path, "SELECT count(*) FROM metrics") == [(800,)]
    assert len(writer.written_units) == 800


def test_a_failed_flush_keeps_the_batch_and_the_next_one_writes_it(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    writer = FailingWrites(store, "r-1", interval=3600, failures=2, retry_delay=0.001)
    writer.record_unit(unit_row("r-1", "u1"), [sample(1)])
    writer.put_completion({"key": "k1", "text": "hello"})
    for _ in range(2):
        with pytest.raises(OSError, match="No space"):
            writer.flush()
    writer.record_unit(unit_row("r-1", "u2"), [sample(2)])  # recorded while the first batch waits
    assert writer.pending_completion("k1") == {"key": "k1", "text": "hello"}
    assert writer.flush() == 5
    writer.close()
    assert rows(store.path, "SELECT unit_id FROM units ORDER BY unit_id") == [("u1",), ("u2",)]
    assert rows(store.path, "SELECT count(*) FROM samples") == [(2,)]
    assert rows(store.path, "SELECT text FROM completions") == [("hello",)]


def test_a_write_that_keeps_failing_stops_with_what_failed_and_what_to_do(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    gave_up = []
    writer = FailingWrites(store, "r-1", interval=0.001, failures=10**6, max_failures=3, retry_delay=0.001,
                           on_failure=gave_up.append)
    writer.record_unit(unit_row("r-1", "u1"), [sample(1)])
    writer._thread.join(30)  # the background thread tries, backs off, and gives up
    assert not writer._thread.is_alive() and isinstance(gave_up[0], OSError)
    with pytest.raises(WriteFailed) as failed:
        writer.close()
    message = str(failed.value)
    assert "1 finished unit(s)" in message and "No space left on device" in message
    assert "free disk space" in message and "run the same command again" in message
    assert writer.pending_units() == ["u1"] and not writer.written_units  # kept, not dropped
    assert writer.attempts == 3 + 3  # the loop's tries, then close()'s
    assert rows(store.path, "SELECT count(*) FROM units") == [(0,)]


def test_a_row_that_does_not_fit_its_column_is_refused_at_once_and_the_rest_is_written(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    writer = BatchWriter(store, "r-1", interval=3600)
    with pytest.raises(ValueError, match="does not fit its column"):
        writer.record_unit(unit_row("r-1", "bad"), [sample(0, tokens_in="many")])
    writer.record_unit(unit_row("r-1", "good"), [sample(1)])
    writer.put_completion({"key": "k", "text": "t", "tokens_in": "many"})  # the cache is optional: skipped
    writer.log_metrics("good", [("step one", 7, object()), (2, "loss", 0.5)])  # odd metric values become NULL
    writer.close()
    assert rows(store.path, "SELECT unit_id FROM units") == [("good",)]
    assert rows(store.path, "SELECT step, name, value FROM metrics ORDER BY step NULLS FIRST") == [
        (None, "7", None), (2, "loss", 0.5)]
    assert rows(store.path, "SELECT count(*) FROM completions") == [(0,)]


def test_a_prompt_is_written_once_whatever_fails_and_whichever_run_sends_it_again(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    hi = [{"role": "user", "content": "hi"}]
    writer = FailingWrites(store, "r-1", interval=3600, failures=1, retry_delay=0.001)
    writer.put_prompt("h1", hi, 3)
    writer.record_unit(unit_row("r-1", "u1"), [sample(1, prompt_hash="h1")])
    with pytest.raises(OSError, match="No space"):
        writer.flush()
    writer.put_prompt("h1", hi, 3)  # its second sample: already buffered
    writer.record_unit(unit_row("r-1", "u2"), [sample(2, prompt_hash="h1")])
    assert writer.flush() == 2 + 2 + 1
    writer.close()
    again = BatchWriter(store, "r-2", interval=3600)  # a later run sends the same prompt
    again.put_prompt("h1", hi, 3)
    again.record_unit(unit_row("r-2", "u3"), [sample(3, prompt_hash="h1")])
    again.close()
    assert rows(store.path, "SELECT prompt_hash, messages::VARCHAR, tokens FROM prompts") == [
        ("h1", '[{"role": "user", "content": "hi"}]', 3)]
    assert rows(store.path, "SELECT count(*) FROM samples s JOIN prompts USING (prompt_hash)") == [(3,)]
