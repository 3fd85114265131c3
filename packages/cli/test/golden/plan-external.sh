#!/bin/sh
# imgalias plan for docker, external mode: 6 to tag, 1 conflict, 1 missing
# snapshot: field-snapshot.json
# policy: mode external, no harbor, short names off, on conflict report
# Review before running. Every argument is single-quoted; the script stops at the first failing command.
set -eu

docker tag 'localhost/hpello/tcp-proxy:latest' 'hpello/tcp-proxy:latest'  # sha256:0d15114dba94, missing name
docker tag 'localhost/node:20-alpine' 'node:20-alpine'  # sha256:25f35284d40e, missing name
docker tag 'localhost/redis:7.2-alpine' 'redis:7.2-alpine'  # sha256:3f0338f9cc5a, missing name
docker tag 'localhost/minio/minio:RELEASE.2024-01-16T16-07-38Z' 'minio/minio:RELEASE.2024-01-16T16-07-38Z'  # sha256:2295ae03e568, missing name
docker tag 'localhost/osixia/openldap:1.5.0' 'osixia/openldap:1.5.0'  # sha256:910d47e77601, missing name
docker tag 'localhost/redislabs/redisinsight:1.14.0' 'redislabs/redisinsight:1.14.0'  # sha256:eb6fce767880, missing name

# Findings (no command):
# conflict: localhost/osixia/phpldapadmin:0.9.0 points at image sha256:56a7c814113e2179f7d888d17dea01c5db4a09975ecf39b410b65aa74d7f1f9c, but the osixia/phpldapadmin:0.9.0 family takes image sha256:ef177a90c6b1cb30bb039e56754143a59564eadd771ff0ca9e0db7fd72d4da04 from osixia/phpldapadmin:0.9.0; localhost/osixia/phpldapadmin:0.9.0 was left as is: remove or retag it by hand, or run with --on-conflict retarget (config key onConflict: "retarget") to move it.
# missing: nginx:1.27-alpine is not in the image store under any of its names (nginx:1.27-alpine, localhost/nginx:1.27-alpine); pull nginx:1.27-alpine, then run imgalias again.
