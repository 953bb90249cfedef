# The BRI Tracker API: migrates the database, loads the seed, then serves on port 8000.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/bri

# An editable install keeps alembic.ini, migrations/ and seed_data/ next to the code,
# where `bri db upgrade` and `bri seed` look for them.
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install -e . && useradd --create-home --uid 10001 bri
COPY alembic.ini ./
COPY migrations ./migrations
COPY seed_data ./seed_data

USER bri
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]

# Migrations and the seed are idempotent, so every start may run them.
CMD ["sh", "-c", "bri db upgrade && bri seed && exec bri serve --host 0.0.0.0 --port 8000"]
