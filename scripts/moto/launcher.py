"""Start moto's server with the EC2 gaps that matter to IMDS Guard filled with AWS's semantics.

Test infrastructure only (DESIGN.md, "How we test" item 3). Measured on moto 5.2.5 (pinned in
requirements.txt), its EC2 backend:
  1. answers HTTP 500 to GetInstanceMetadataDefaults and ModifyInstanceMetadataDefaults;
  2. answers HTTP 500 to the `metadata-options.*` filters of DescribeInstances;
  3. ignores DryRun on ModifyInstanceMetadataOptions (it applies the change);
  4. resets every option the request leaves out (hop limit back to 1, tokens back to optional);
  5. ignores a launch template's MetadataOptions and the account default when launching;
  6. counts DescribeInstances' MaxResults in reservations, not instances, so 1,050 instances
     launched by one RunInstances never paginate.
Real EC2 (API reference, "ModifyInstanceMetadataOptions" / "Order of precedence for instance
metadata options", seed 001): DryRun answers DryRunOperation without changing anything, options
left out keep their value, and a launch resolves each option from the launch parameters (the
instance's own over the launch template's), then the region's account default, then EC2's
default; MaxResults (5..1000) counts instances. The product never relies on the filters; tests use them to check moto's state.

Fault injection (--fault REGION:SERVICE:KIND) stands in for what one region of a real account can
do to a scan: `denied` (an SCP or permission boundary: 403 UnauthorizedOperation / AccessDenied),
`throttled` (every call RequestLimitExceeded / Throttling), `slow` (no answer for 30 s, to hit a
client timeout). The region and service come from the SigV4 credential scope, exactly as AWS
routes them.

Prints `READY http://127.0.0.1:PORT` once listening; stops when stdin closes (the parent died or
is done), so a crashed test run never leaves a server behind.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import threading
import time
from typing import Any, Callable, Iterable

from moto.core.responses import ActionResult
from moto.ec2 import utils as ec2_utils
from moto.ec2.exceptions import InvalidParameterCombination, InvalidParameterValueError
from moto.ec2.models.instances import Instance, MetadataOptions
from moto.ec2.responses import EC2Response
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

METADATA_FIELDS = {
    "HttpTokens": "http_tokens",
    "HttpPutResponseHopLimit": "http_put_response_hop_limit",
    "HttpEndpoint": "http_endpoint",
    "HttpProtocolIpv6": "http_protocol_ipv6",
    "InstanceMetadataTags": "instance_metadata_tags",
}
EC2_DEFAULTS = {
    "HttpTokens": "optional",
    "HttpPutResponseHopLimit": 1,
    "HttpEndpoint": "enabled",
    "HttpProtocolIpv6": "disabled",
    "InstanceMetadataTags": "disabled",
}
# Fields the account default can set (ModifyInstanceMetadataDefaults); the rest come from EC2.
ACCOUNT_DEFAULT_FIELDS = ("HttpTokens", "HttpPutResponseHopLimit", "HttpEndpoint", "InstanceMetadataTags")


# --- 1. account defaults -------------------------------------------------------------------------

def account_defaults(backend: Any) -> dict[str, Any]:
    """The region's account default; a missing key is "no preference"."""
    if not hasattr(backend, "imds_guard_metadata_defaults"):
        backend.imds_guard_metadata_defaults = {}
    return backend.imds_guard_metadata_defaults


def get_instance_metadata_defaults(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    return ActionResult({"AccountLevel": dict(account_defaults(self.ec2_backend))})


def modify_instance_metadata_defaults(self: EC2Response) -> ActionResult:
    requested = {
        "HttpTokens": self._get_param("HttpTokens"),
        "HttpPutResponseHopLimit": self._get_int_param("HttpPutResponseHopLimit"),
        "HttpEndpoint": self._get_param("HttpEndpoint"),
        "InstanceMetadataTags": self._get_param("InstanceMetadataTags"),
    }
    hop = requested["HttpPutResponseHopLimit"]
    if hop is not None and hop != -1 and not 1 <= hop <= 64:
        raise InvalidParameterValueError(str(hop))  # AWS: -1 (no preference) or 1..64
    self.error_on_dryrun()
    defaults = account_defaults(self.ec2_backend)
    for key, value in requested.items():
        if value is None:
            continue  # left out: unchanged
        if value in ("no-preference", -1):
            defaults.pop(key, None)
        else:
            defaults[key] = value
    return ActionResult({"Return": True})


# --- 3 and 4. ModifyInstanceMetadataOptions: DryRun, and options left out keep their value --------

def modify_instance_metadata_options(self: EC2Response) -> ActionResult:
    instance = self.ec2_backend.get_instance(self._get_param("InstanceId"))
    self.error_on_dryrun()
    current = instance.metadata_options
    merged = {api: getattr(current, attr) for api, attr in METADATA_FIELDS.items()}
    for api in METADATA_FIELDS:
        value = self._get_int_param(api) if api == "HttpPutResponseHopLimit" else self._get_param(api)
        if value is not None:
            merged[api] = value
    merged["State"] = "applied"
    instance.metadata_options = MetadataOptions(merged)
    return ActionResult({"InstanceId": instance.id, "InstanceMetadataOptions": instance.metadata_options})


# --- 2. metadata-options.* filters ----------------------------------------------------------------

def _hop_limit_as_filter_value(self: MetadataOptions) -> str:
    return str(self.http_put_response_hop_limit)


MetadataOptions.hop_limit_filter_value = property(_hop_limit_as_filter_value)  # type: ignore[attr-defined]
ec2_utils.filter_dict_attribute_mapping.update(
    {
        "metadata-options.http-tokens": "metadata_options.http_tokens",
        "metadata-options.http-put-response-hop-limit": "metadata_options.hop_limit_filter_value",
        "metadata-options.http-endpoint": "metadata_options.http_endpoint",
        "metadata-options.http-protocol-ipv6": "metadata_options.http_protocol_ipv6",
        "metadata-options.instance-metadata-tags": "metadata_options.instance_metadata_tags",
    }
)


# --- 6. DescribeInstances pages by instance -------------------------------------------------------

def describe_instances(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    if "InstanceId.1" in self.data and "MaxResults" in self.data:
        raise InvalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults")
    filters = self._filters_from_querystring()
    instance_ids = self._get_param("InstanceIds", [])
    if instance_ids:
        reservations = self.ec2_backend.get_reservations_by_instance_ids(instance_ids, filters=filters)
    else:
        reservations = self.ec2_backend.describe_instances(filters=filters)
    pairs = [(reservation, instance) for reservation in reservations for instance in reservation.instances]
    start = int(self._get_param("NextToken") or 0)
    page_size = self._get_int_param("MaxResults") or max(len(pairs), 1)
    page: dict[str, Any] = {}
    for reservation, instance in pairs[start : start + page_size]:
        if reservation.id not in page:
            page[reservation.id] = copy.copy(reservation)
            page[reservation.id].instances = []
        page[reservation.id].instances.append(instance)
    next_token = str(start + page_size) if start + page_size < len(pairs) else None
    return ActionResult({"Reservations": list(page.values()), "NextToken": next_token})


# --- 5. precedence at launch ------------------------------------------------------------------------

def resolve_launch_options(launch: dict[str, Any], template: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Each option on its own: the instance's parameter, the template's, the account default, EC2's."""
    resolved: dict[str, Any] = {"State": "applied"}
    for field, ec2_default in EC2_DEFAULTS.items():
        for source in (launch, template, defaults if field in ACCOUNT_DEFAULT_FIELDS else {}):
            if source.get(field) is not None:
                resolved[field] = int(source[field]) if field == "HttpPutResponseHopLimit" else source[field]
                break
        else:
            resolved[field] = ec2_default
    return resolved


_original_instance_init = Instance.__init__


def instance_init(self: Instance, ec2_backend: Any, image_id: str, user_data: Any, security_groups: Any, **kwargs: Any) -> None:
    _original_instance_init(self, ec2_backend, image_id, user_data, security_groups, **kwargs)
    template: dict[str, Any] = {}
    if kwargs.get("launch_template"):
        template = ec2_backend._get_template_from_args(kwargs["launch_template"]).data.get("MetadataOptions") or {}
    launch = kwargs.get("metadata_options") or {}
    self.metadata_options = MetadataOptions(resolve_launch_options(launch, template, account_defaults(ec2_backend)))


# --- fault injection ----------------------------------------------------------------------------------

CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")


def error_response(request_content_type: str, status: str, code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    if "json" in request_content_type:
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-query-error", f"{code};Sender")], body
    body = (
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
        f"<RequestID>imds-guard-fault</RequestID></Response>"
    ).encode()
    return status, [("Content-Type", "text/xml")], body


FAULTS = {
    "denied": ("403 Forbidden", {"ec2": "UnauthorizedOperation", "monitoring": "AccessDenied"}),
    "throttled": ("503 Service Unavailable", {"ec2": "RequestLimitExceeded", "monitoring": "Throttling"}),
}


def with_faults(app: Callable[..., Iterable[bytes]], faults: dict[tuple[str, str], str]) -> Callable[..., Iterable[bytes]]:
    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        scope = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        kind = faults.get((scope.group(1), scope.group(2))) if scope else None
        if kind == "slow":
            time.sleep(30)
        elif kind in FAULTS:
            status, codes = FAULTS[kind]
            code = codes.get(scope.group(2), "AccessDenied")  # type: ignore[union-attr]
            status, headers, body = error_response(environ.get("CONTENT_TYPE", ""), status, code, f"injected fault: {kind}")
            start_response(status, headers + [("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return middleware


def install_patches() -> None:
    EC2Response.get_instance_metadata_defaults = get_instance_metadata_defaults  # type: ignore[attr-defined]
    EC2Response.modify_instance_metadata_defaults = modify_instance_metadata_defaults  # type: ignore[attr-defined]
    EC2Response.modify_instance_metadata_options = modify_instance_metadata_options  # type: ignore[method-assign]
    EC2Response.describe_instances = describe_instances  # type: ignore[method-assign]
    Instance.__init__ = instance_init  # type: ignore[method-assign]


def parse_faults(values: list[str]) -> dict[tuple[str, str], str]:
    faults: dict[tuple[str, str], str] = {}
    for value in values:
        parts = value.split(":")
        if len(parts) != 3 or parts[2] not in ("denied", "throttled", "slow"):
            raise SystemExit(f"--fault {value!r}: expected REGION:SERVICE:denied|throttled|slow")
        faults[(parts[0], parts[1])] = parts[2]
    return faults


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--fault", action="append", default=[], metavar="REGION:SERVICE:KIND")
    args = parser.parse_args(argv)
    install_patches()
    app = with_faults(DomainDispatcherApplication(create_backend_app), parse_faults(args.fault))
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    # Nothing to flush (moto keeps state in memory); skipping interpreter teardown saves seconds per run.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
