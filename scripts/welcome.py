"""Prints where `make run` serves the app and the demo sign-ins."""

import os

from_port = os.environ.get("PORT", "8000")
print(
    f"""
  Crampwise is starting at  http://localhost:{from_port}/
  API docs                  http://localhost:{from_port}/api/docs/
  Admin                     http://localhost:{from_port}/admin/   (admin@example.com)

  Demo sign-ins (password: crampwise-demo)
    alice@example.com   patient: night cramps that ease with compression, evening swelling
    grace@example.com   patient: cramps while walking; a slowly swollen, tender right calf (advice)
    erin@example.com    patient: a suddenly swollen, painful left calf yesterday (urgent)
    ines@example.com    patient: breathless nine days ago; both legs suddenly swollen yesterday
    carol@example.com   patient who shared with nobody
    bob@example.com     clinician: alice, grace, erin and ines share with him
    dave@example.com    clinician nobody shared with

  Stop everything with Ctrl-C.
"""
)
