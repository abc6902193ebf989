"""An independent SAML service provider (pysaml2) that the Rust tests drive.

Commands (all print JSON on stdout):
  metadata  --workdir D --entity E --acs URL [--acs-binding post|redirect] [--sign-requests]
  request   --workdir D --entity E --acs URL --idp-metadata F --binding post|redirect [--sign-requests]
  response  --workdir D --entity E --acs URL --idp-metadata F --binding post|redirect
            --request-id ID (--saml-response B64 | --query Q)

The working directory holds the SP's key and certificate (sp.key, sp.crt), made by the test.
"""

import argparse
import json
import re
import sys
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

BINDINGS = {"post": BINDING_HTTP_POST, "redirect": BINDING_HTTP_REDIRECT}


def config(args):
    conf = {
        "entityid": args.entity,
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(args.acs, BINDINGS[args.acs_binding])],
                },
                "authn_requests_signed": args.sign_requests,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
            }
        },
        "key_file": f"{args.workdir}/sp.key",
        "cert_file": f"{args.workdir}/sp.crt",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        # Our attribute names (idpId, phoneNumber) are not in pysaml2's maps.
        "allow_unknown_attributes": True,
        "accepted_time_diff": 30,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
    }
    if getattr(args, "idp_metadata", None):
        conf["metadata"] = {"local": [args.idp_metadata]}
    sp_config = SPConfig()
    sp_config.load(conf)
    return sp_config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["metadata", "request", "response"])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--entity", required=True)
    parser.add_argument("--acs", required=True)
    parser.add_argument("--acs-binding", default="post", choices=list(BINDINGS))
    parser.add_argument("--sign-requests", action="store_true")
    parser.add_argument("--idp-metadata")
    parser.add_argument("--binding", default="redirect", choices=list(BINDINGS))
    parser.add_argument("--request-id")
    parser.add_argument("--saml-response")
    parser.add_argument("--query")
    parser.add_argument("--relay-state", default="rs-42/ä&x")
    parser.add_argument("--sha1", action="store_true", help="sign with RSA-SHA1 (which must be refused)")
    args = parser.parse_args()
    conf = config(args)

    if args.command == "metadata":
        print(json.dumps({"xml": str(entity_descriptor(conf))}))
        return

    client = Saml2Client(config=conf)
    if args.command == "request":
        idp = next(iter(conf.metadata.identity_providers()))
        request_id, info = client.prepare_for_authenticate(
            entityid=idp,
            relay_state=args.relay_state,
            binding=BINDINGS[args.binding],
            # The Response's binding: the one of this SP's ACS (ProtocolBinding).
            response_binding=BINDINGS[args.acs_binding],
            sign=args.sign_requests,
            sigalg=(SIG_RSA_SHA1 if args.sha1 else SIG_RSA_SHA256) if args.sign_requests else None,
            digest_alg=DIGEST_SHA1 if args.sha1 else DIGEST_SHA256,
        )
        out = {"request_id": request_id}
        if args.binding == "redirect":
            out["url"] = dict(info["headers"])["Location"]
        else:
            html = info["data"]
            out["html"] = html
        print(json.dumps(out))
        return

    # response
    if args.query:
        params = {k: v[0] for k, v in parse_qs(args.query).items()}
        idp_xml = open(args.idp_metadata).read()
        idp_cert = re.search(r"<ds:X509Certificate>([^<]+)</ds:X509Certificate>", idp_xml).group(1)
        if not verify_redirect_signature(params, client.sec.sec_backend, cert=idp_cert):
            print(json.dumps({"error": "the redirect signature does not verify"}))
            sys.exit(1)
        saml_response = params["SAMLResponse"]
        relay_state = params.get("RelayState")
    else:
        saml_response = args.saml_response
        relay_state = None
    response = client.parse_authn_request_response(
        saml_response, BINDINGS[args.binding], outstanding={args.request_id: "/"}
    )
    if response is None:
        print(json.dumps({"error": "no response"}))
        sys.exit(1)
    assertion = response.assertion
    print(
        json.dumps(
            {
                "name_id": response.name_id.text,
                "name_qualifier": response.name_id.name_qualifier,
                "issuer": response.issuer(),
                "in_response_to": response.in_response_to,
                "attributes": response.ava,
                "audience": [a.text for r in assertion.conditions.audience_restriction for a in r.audience],
                "authn_context": response.authn_info(),
                "relay_state": relay_state,
            }
        )
    )


if __name__ == "__main__":
    main()
