"""The self-hosted web service (``python -m webservice``), a package of its own beside the
runtime (``skill``), which never imports it: these modules pull in Flask, the webservice
support SDK and certvalidator.

- ``service``: the Flask app, waitress, the command line;

- ``oscrypto_fix``: lets certvalidator load on OpenSSL 3.0.10 and later; installed here, so
  before any module of this package can import certvalidator;
- ``config``: host, port, verification and limits, from flags and the environment;
- ``verify``: Alexa's request checks (signature, timestamp, skill id);
- ``certcache``: validated signing certificates by chain URL, until they expire;
- ``adapter``: the Flask-Ask-SDK ``SkillAdapter`` that answers every refusal with a 4xx.
"""

from . import oscrypto_fix

oscrypto_fix.install()
