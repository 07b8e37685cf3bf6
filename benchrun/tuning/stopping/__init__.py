"""Stop rules that look beyond one trial's own numbers: a learning-curve prediction
compared with the best finished trial (`predicted_worse`), and a language model asked
every N evaluations (`llm`); with what the executors hand each trial for them
(`services`)."""
