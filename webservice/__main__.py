"""`python -m webservice` (make serve): the skill as a web service."""
from .service import main

raise SystemExit(main())
