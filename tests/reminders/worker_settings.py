"""Settings of the worker process that tests/reminders/test_worker.py starts: the portal's,
with the test's own queue as the default, so that the e-mails the worker enqueues after the
sweep's commit come back to that same worker (and no other worker on the Redis takes them)."""

import os

from welcome_center.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["REMINDER_TEST_QUEUE"]
