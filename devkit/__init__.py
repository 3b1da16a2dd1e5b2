"""Development tools: request envelopes, a session-carrying client, readable SSML.

Used by `make run` and the tests; nothing here is needed on Lambda.
"""
