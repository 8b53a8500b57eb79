from . import test_post_init_hook
