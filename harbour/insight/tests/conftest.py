from harbour.web.tests.browser import axe_path, browser, page  # noqa: F401 (fixtures)
