# synbot review service. Not built or run in this project's CI (no Docker engine there): keep it minimal.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SYNBOT_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY synonyms ./synonyms
COPY bot ./bot
COPY prompts ./prompts
RUN pip install --no-cache-dir . && useradd --system --home /data synbot && mkdir -p /data && chown synbot /data

USER synbot
VOLUME ["/data"]
EXPOSE 8080
# One process: the webhook app with an in-process worker. Add `synbot worker` containers and
# SYNBOT_REDIS_URL to scale out.
CMD ["synbot", "serve", "--host", "0.0.0.0", "--port", "8080"]
