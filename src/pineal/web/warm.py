"""Imported by the worker pool's forkserver: warms the kernels once, so every forked worker starts warm."""

from pineal.web.jobs import warm

warm()
