#!/bin/sh
# imgalias prefetch plan for docker, external mode: 2 to pull, 2 present, 2 findings
# snapshot: snapshot.json
# Each image tries its candidates in order; unlike `imgalias prefetch` this script does not retry.
# This script only pulls. `imgalias prefetch` then tags every pulled image with the names its family
# needs (as `imgalias apply` does); after running it, run `imgalias apply` with the same images and options.
set -eu

# osixia/phpldapadmin:0.9.0: no name of it is in the store
docker pull 'osixia/phpldapadmin:0.9.0' ||
  { docker pull 'mirror.corp:5000/hub/osixia/phpldapadmin:0.9.0' && docker tag 'mirror.corp:5000/hub/osixia/phpldapadmin:0.9.0' 'osixia/phpldapadmin:0.9.0'; } ||
  docker pull 'harbor.corp.local/proj/osixia/phpldapadmin:0.9.0' ||
  { echo 'prefetch: could not pull osixia/phpldapadmin:0.9.0' >&2; exit 1; }
# quay.io/keycloak/keycloak:26.0: no name of it is in the store
docker pull 'quay.io/keycloak/keycloak:26.0' ||
  docker pull 'harbor.corp.local/proj/keycloak/keycloak:26.0' ||
  { echo 'prefetch: could not pull quay.io/keycloak/keycloak:26.0' >&2; exit 1; }
# finding: The mirror "Bad Mirror" is not host[:port]/prefix (expected host[:port]/project); it was skipped. Fix prefetch.mirrors in the config.
# finding: redis@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa pins a digest; prefetch requests images by tag, so request it by tag.
