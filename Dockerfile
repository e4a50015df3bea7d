# backupbot: Socket Mode by default (no inbound port); `serve` for HTTP mode.
# Configuration comes only from the environment (see README); state lives in /data.

FROM python:3.11-slim AS build
WORKDIR /src
# Every dependency exactly as requirements.lock pins it, each file checked against the
# lock's hashes; wheels only, so the final stage compiles nothing and installs offline.
COPY requirements.lock ./
RUN pip download --no-cache-dir --require-hashes --only-binary=:all: \
        --dest /wheels -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot/ bot/
# The message catalogues compiled (.po to .mo) with Babel, pinned by the lock and already
# downloaded, so the wheel ships them ready to read.
RUN pip install --no-cache-dir --no-index --find-links=/wheels babel==2.19.0 \
    && pybabel compile --statistics -d bot/locales -D backupbot
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BACKUPBOT_STATE=/data/backupbot-state.sqlite3
RUN useradd --create-home --uid 10001 --user-group backupbot \
    && mkdir /data \
    && chown 10001:10001 /data
COPY --from=build /wheels /wheels
COPY --from=build /src/requirements.lock /wheels/
RUN pip install --no-cache-dir --no-index --find-links=/wheels \
        --require-hashes -r /wheels/requirements.lock \
    && pip install --no-cache-dir --no-index --find-links=/wheels --no-deps backupbot==0.1.0 \
    && rm -rf /wheels
USER 10001:10001
WORKDIR /home/backupbot
VOLUME ["/data"]
# HTTP mode serves Slack on 3000; both modes answer /healthz and /metrics there.
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["backupbot"]
CMD ["socket"]
