"""Import time and first-LaunchRequest time of a lambda_function, in this fresh process.

Usage: python bench/startup.py DIR   (DIR holds lambda_function.py)
Prints one JSON line. Run under /usr/bin/time -v for peak memory.
"""
import json
import sys
import time

start = time.perf_counter()
sys.path[:0] = sys.argv[1:2] + ["."]
import lambda_function  # noqa: E402

imported = time.perf_counter()
from skill.dev import envelopes  # noqa: E402  (after timing: not part of the skill)

event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
before = time.perf_counter()
response = lambda_function.lambda_handler(event, None)
answered = time.perf_counter()
assert response["response"]["outputSpeech"]["ssml"]
print(json.dumps({"import_ms": round((imported - start) * 1000, 1),
                  "first_launch_ms": round((answered - before) * 1000, 1)}))
