"""Code extraction from model answers: every shape a model answers in."""
from __future__ import annotations

import pytest

from benchrun.codegen.extract import extract_code

F = "```"
PROGRAM = "import mlflow\n\n\ndef train():\n    mlflow.log_param('a', 1)\n\n\ntrain()\n"


def test_one_fenced_block():
    answer = f"Here is the updated script:\n\n{F}python\n{PROGRAM}{F}\n\nIt logs parameter a."
    result = extract_code(answer, "train.py")
    assert (result.code, result.outcome, result.blocks) == (PROGRAM, "fenced", 1)


def test_untagged_fence_and_tilde_fence():
    assert extract_code(f"{F}\n{PROGRAM}{F}", "train.py").code == PROGRAM
    assert extract_code(f"~~~py\n{PROGRAM}~~~\n", "train.py").code == PROGRAM


def test_the_file_wins_over_a_shell_line_and_a_usage_snippet():
    answer = (
        f"Install it first:\n{F}bash\npip install mlflow\n{F}\n"
        f"Then:\n{F}python\n{PROGRAM}{F}\n"
        f"Run it with:\n{F}python\ntrain()\n{F}\n"
    )
    result = extract_code(answer, "train.py")
    assert (result.code, result.outcome, result.blocks) == (PROGRAM, "fenced_multiple_chosen", 3)


def test_block_named_after_the_entry_file_wins_over_a_longer_one():
    helper = "import os\n" + "\n".join(f"X{i} = {i}" for i in range(30)) + "\n"
    answer = f"**utils.py**\n{F}python\n{helper}{F}\n**train.py**\n{F}python\n{PROGRAM}{F}\n"
    assert extract_code(answer, "train.py").code == PROGRAM


def test_block_that_keeps_the_input_names_wins_a_tie_on_form():
    original = "import numpy as np\n\ndef fit(x):\n    return x\n"
    keeps = "import numpy\nimport mlflow\n\ndef fit(x):\n    return x\n"
    other = "import pandas\nimport mlflow\n\ndef load(path):\n    return path + '/data/x'\n"
    answer = f"{F}python\n{keeps}{F}\nor\n{F}python\n{other}{F}\n"
    assert extract_code(answer, "train.py", original=original).code == keeps
    assert extract_code(answer, "train.py").code == other  # without the input: the longest


def test_valid_python_wins_over_a_broken_block():
    broken = "def train(:\n    pass\n" * 5
    answer = f"{F}python\n{broken}{F}\n{F}python\n{PROGRAM}{F}\n"
    assert extract_code(answer, "train.py").code == PROGRAM


def test_unterminated_fence_keeps_code_to_the_end():
    answer = f"Sure!\n{F}python\n{PROGRAM}"
    result = extract_code(answer, "train.py")
    assert (result.code, result.outcome) == (PROGRAM, "fenced_unterminated")


def test_whole_file_answer():
    result = extract_code(PROGRAM, "train.py")
    assert (result.code, result.outcome, result.blocks) == (PROGRAM, "whole_file", 0)


def test_prose_around_unfenced_code_is_stripped():
    answer = f"Here is the code you asked for.\n{PROGRAM}\nThis code logs the parameter to MLflow. Enjoy!\n"
    result = extract_code(answer, "train.py")
    assert (result.code, result.outcome) == (PROGRAM, "prose_stripped")


@pytest.mark.parametrize("answer", ["", "Sure", "I cannot help with that request.", f"{F}bash\n{F}\n"])
def test_no_code(answer):
    result = extract_code(answer, "train.py")
    assert (result.code, result.outcome) == ("", "none")


def test_only_a_non_python_block_is_still_taken_as_last_resort():
    # some models tag Python as `text`; better to run it than to score "no code"
    result = extract_code(f"{F}text\n{PROGRAM}{F}", "train.py")
    assert (result.code, result.outcome) == (PROGRAM, "fenced")


class _Cycle:
    """Garbage that only the cycle collector frees, running Python code as it goes: the
    thread switches in the middle of ast.parse that broke CPython 3.11's AST constructor."""

    def __init__(self):
        self.me = self

    def __del__(self):
        sum(range(50))


def test_thousands_of_answers_extracted_on_many_threads_match_one_thread():
    import gc
    import sys
    import threading

    answers = []
    for i in range(2000):
        body = "\n".join(f"def f{i}_{j}(x):\n    return [(x, {j}, [y for y in range(x)]) for _ in range(2)]" for j in range(8))
        shapes = [f"```python\n{body}\n```", f"Here:\n\n{body}\n\nDone.", body, f"```python\n{body}\n", "no code here"]
        answers.append(shapes[i % len(shapes)])
    expected = [extract_code(a, "train.py", original=PROGRAM) for a in answers]
    got: dict[int, object] = {}
    errors: list[BaseException] = []

    def work(first: int) -> None:
        for i in range(first, len(answers), 16):
            _Cycle()
            try:
                got[i] = extract_code(answers[i], "train.py", original=PROGRAM)
            except BaseException as error:  # noqa: BLE001 - any error is the failure under test
                errors.append(error)

    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(20, 2, 2)
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)
    assert errors == []
    assert [got[i] for i in range(len(answers))] == expected


PROMPT = 'def add(a, b):\n    """Sum."""\n'


def test_an_indented_body_continues_the_prompt_it_was_given():
    """A base model's raw HumanEval answer: the body, then whatever it went on writing."""
    answer = "    return a + b\n\n\ndef main():\n    print(add(1, 2))\n\nThis function adds"
    result = extract_code(answer, "solution.py", original=PROMPT, prompt=PROMPT)
    assert (result.code, result.outcome) == ("    return a + b\n\n\ndef main():\n    print(add(1, 2))\n", "completion")
    assert extract_code(answer, "solution.py", original=PROMPT).outcome != "completion"  # no prompt, no continuation
    assert extract_code("    return a +\n", "solution.py", prompt=PROMPT).outcome == "none"


def test_a_fenced_body_that_continues_the_prompt_counts_as_valid_python():
    answer = f"{F}python\n    return a + b\n{F}\nUse it so:\n{F}python\nadd(1, 2)\n{F}\n"
    result = extract_code(answer, "solution.py", prompt=PROMPT)
    assert (result.code, result.outcome) == ("    return a + b\n", "fenced_multiple_chosen")
    assert extract_code(answer, "solution.py").code == "add(1, 2)\n"  # alone, only the usage parses
