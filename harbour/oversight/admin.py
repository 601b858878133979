from harbour.core.admin import register_app

register_app("oversight")
