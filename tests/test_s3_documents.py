"""Uploaded documents on S3-compatible storage (django-storages), as several web and worker
containers share them: a document added on one page is stored in the bucket (not on the local
disk), downloaded through the access-checked view, refused to who may not see the case, and
taken into a backup. moto's S3 server stands in for MinIO or a cloud's object storage."""

import io
import socket
import tarfile

import boto3
import pytest
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer

from cases.models import CaseDocument
from tests.factories import register_case

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

BUCKET = "nrm-documents"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="ap-southeast-1")
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
    )
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "ap-southeast-1",
                "location": "media",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_a_document_is_kept_in_the_bucket_and_served_only_through_the_app(
    bucket, client, worker_chiangmai, worker_tak, settings
):
    case = register_case(worker_chiangmai)
    content = b"%PDF-1.4 passport scan " * 100
    client.force_login(worker_chiangmai)
    upload = io.BytesIO(content)
    upload.name = "passport.pdf"
    response = client.post(
        reverse("cases:add_document", args=[case.pk]),
        {"file": upload, "description": "หนังสือเดินทาง"},
    )
    assert response.status_code in (200, 302), response.content[:500]
    document = CaseDocument.objects.get(case=case)

    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{document.file.name}"]
    assert "passport" not in keys[0]  # the person's file name never reaches the storage
    head = bucket.head_object(Bucket=BUCKET, Key=keys[0])
    assert head["ServerSideEncryption"] == "AES256"
    assert not (settings.MEDIA_ROOT).exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))

    download = client.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content

    client.force_login(worker_tak)  # another province: the case does not exist for them
    assert client.get(reverse("cases:document", args=[case.pk, document.pk])).status_code == 404


def test_the_backup_takes_the_documents_from_the_bucket(bucket, worker_chiangmai, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import services as cases

    case = register_case(worker_chiangmai)
    document = cases.case_document_add(
        case=case,
        actor=worker_chiangmai,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    archive = tmp_path / "documents.tar"
    call_command("media_backup", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"files/{document.file.name}").read() == b"%PDF-1.4 x"
