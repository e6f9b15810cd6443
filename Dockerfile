# The portal's image: one image for web (gunicorn), worker and beat (Celery); see
# docker-compose.yml for how they are started.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when the lock changes. The lock is the
# one CI tested (it includes the dev tools; a separate production lock would slim the image).
# psycopg2-binary ships its own libpq, so no system packages are needed.
COPY requirements.lock .
RUN pip install -r requirements.lock

# A system user without a login shell or password; the code stays owned by root (read-only
# for the app), only var/ (beat's schedule file, caches) and the uploads volume are writable.
RUN groupadd --system app && useradd --system --gid app --no-create-home app

COPY . .

# Static files belong to the image: collected (and hashed, compressed) once at build time with
# a throwaway key, so web, worker and beat all hold the same manifest. The .mo translation
# files are committed, so gettext is not needed here.
RUN SECRET_KEY=build-only-not-a-secret DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p /app/var /data/uploads \
    && chown -R app:app /app/var /data/uploads

USER app
EXPOSE 8000
CMD ["gunicorn", "welcome_center.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
