"""The embedded reference document service: LoRa 1.10.0's OIO REST subset (sag, dokument with
file content, klassifikation/klasse) on Flask, SQLite and files on disk. caseclient's default
backend when nothing is configured, and the server the test suite runs against."""

from .oio.app import CPU_TIME_HEADER, LORA_VERSION, TIMING_HEADER, create_app
from .demo import CASEWORKERS, Caseworker, caseworker_uuid, kle_class_uuid, seed_cases
from .faults import FaultConfig, FaultInjector
from .service import ReferenceService

__all__ = [
    "CASEWORKERS", "CPU_TIME_HEADER", "Caseworker", "FaultConfig", "FaultInjector", "LORA_VERSION",
    "ReferenceService", "TIMING_HEADER", "caseworker_uuid", "create_app", "kle_class_uuid",
    "seed_cases",
]
