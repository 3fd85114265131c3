#!/bin/sh
# imgalias publish plan for docker to harbor.corp.local/proj: 3 to publish, 2 to tag first, 1 finding
# snapshot: snapshot.json
# Unlike `imgalias publish`, this script pushes every image, also one the registry already has, and does not
# re-check a Harbor name before tagging it. The script stops at the first failing command.
set -eu

# redis:7-alpine, image sha256:222222222222
docker push 'harbor.corp.local/proj/redis:7-alpine'
# minio/minio:latest, image sha256:111111111111
docker tag 'localhost/minio/minio:latest' 'harbor.corp.local/proj/minio/minio:latest'
docker push 'harbor.corp.local/proj/minio/minio:latest'
# osixia/openldap:stable, image sha256:333333333333
docker tag 'osixia/openldap:stable' 'harbor.corp.local/proj/osixia/openldap:stable'
docker push 'harbor.corp.local/proj/osixia/openldap:stable'
# finding: nginx:1 is not in the image store under any local name (nginx:1, localhost/nginx:1, harbor.corp.local/proj/nginx:1); pull nginx:1 first, then publish again.
