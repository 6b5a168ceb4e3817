"""XML-RPC helpers for HttpCase tests: the refusals must hold for any
client, which can send anything."""

from xmlrpc.client import Fault

from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


class XmlRpcMixin:
    """Call the server over XML-RPC as a test user (``new_test_user``)."""

    @staticmethod
    def password(user):
        # new_test_user's password: the login, padded to 8 characters
        return user.login + "x" * (8 - len(user.login))

    def rpc(self, user, model, method, *args, password=None, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(),
            user.id,
            password or self.password(user),
            model,
            method,
            list(args),
            kwargs,
        )

    def assert_refused(self, pattern, user, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self.rpc(user, model, method, *args, **kwargs)
        fault = caught.exception
        self.assertNotIn("Access Denied", str(fault), "authentication must succeed")
        self.assertRegex(f"{fault.faultCode} {fault.faultString}", pattern)
