"""http-digits-svc-class: `python3 trainer.py serve` serves digits_svc.pkl on
127.0.0.1:9100 (any framework): POST /digits {"images": rows of 64 pixels} answers the
SVC's digit for each of 20 random digit images; training and its output are unchanged."""
from benchcheck import assert_same_score, assert_serves_model, require_success
from trainer import DigitsTrainer  # the original program's class, served by the judge

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
# task.toml's `after`; the original trainer's model, retrained here (it is deterministic)
assert_serves_model(DigitsTrainer().load().fit().model, answer="digits")
print("ok")
