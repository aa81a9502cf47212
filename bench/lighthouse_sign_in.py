"""Signs a demo user in to the PWA in a Chromium profile folder, for Lighthouse to score a signed-in page."""

import sys

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(base_url: str, email: str, password: str, profile_dir: str) -> None:
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile_dir, executable_path="/usr/bin/chromium", args=FLAGS, base_url=base_url
        )
        page = context.new_page()
        page.goto("/signin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        # Signed in once the sign-in screen has gone (patients land on Today, clinicians on their list).
        page.wait_for_url(lambda url: "/signin" not in url)
        page.wait_for_load_state("networkidle")
        context.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
