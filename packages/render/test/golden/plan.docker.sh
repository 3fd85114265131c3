#!/bin/sh
# imgalias plan for docker, internal mode: 6 to tag, 1 conflict, 1 missing, 1 invalid name
# snapshot: podman images (build-host-07)
# policy: mode internal, harbor harbor.corp.local/proj (layout path), short names off, on conflict report
# Review before running. Every argument is single-quoted; the script stops at the first failing command.
set -eu

docker tag 'localhost/redis:7-alpine' 'redis:7-alpine'  # sha256:34fb46c847bb, missing name
docker tag 'localhost/tcp-proxy:1.2' 'tcp-proxy:1.2'  # sha256:b76ed1375a14, missing name
docker tag 'localhost/minio/minio:latest' 'minio/minio:latest'  # sha256:5791b6226743, missing name
docker tag 'localhost/osixia/openldap:1.5.0' 'osixia/openldap:1.5.0'  # sha256:b951104f158b, missing name
docker tag 'localhost/osixia/phpldapadmin:0.9.0' 'osixia/phpldapadmin:0.9.0'  # sha256:d9e3a6998526, missing name
docker tag 'localhost/redis/redisinsight:2.50' 'redis/redisinsight:2.50'  # sha256:7723caf352fa, missing name

# Findings (no command):
# conflict: nginx:1.27 points at image sha256:acd719a72e25f46236d604d5aa60547eedc9e54ad43100fce15266897bb9def6, but the nginx:1.27 family takes image sha256:7b6de45c902ddb69b97b9f8b96591a9fa210adfb47c78f53a76026111460aed9 from localhost/nginx:1.27; nginx:1.27 was left as is: remove or retag it by hand, or run with --on-conflict retarget (config key onConflict: "retarget") to move it.
# missing: postgres:16 is not in the image store under any of its names (harbor.corp.local/proj/postgres:16, localhost/postgres:16, postgres:16); pull harbor.corp.local/proj/postgres:16, then run imgalias again.
# invalid snapshot name: The image store lists "localhost/Tools:1.0" on image sha256:f9d35d43770d39092a663e665e82ae1d84a9e0da3d0d10c407acada6a40cd281, which is not an image reference (invalid reference format: repository name must be lowercase ("localhost/Tools:1.0")); it was ignored, so remove or rename it with the engine.
