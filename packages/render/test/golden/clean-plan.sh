#!/bin/sh
# imgalias clean plan for docker: 3 to untag, 1 kept, 1 refused, 1 finding
# snapshot: snapshot.json
# Removes names only: never an image id, never --force. The engine deletes an image when its last name goes.
set -eu

docker image rm 'redis:7-alpine'
docker image rm 'localhost/minio/minio:latest'
docker image rm 'localhost/redis:7-alpine'
# refused: osixia/openldap:stable was not cleaned: image sha256:3333333333333333333333333333333333333333333333333333333333333333 also carries myapp:1, outside this family; clean those too (list them after osixia/openldap:stable) or leave the image.
