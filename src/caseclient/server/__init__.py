"""The embedded reference document service: one store of cases and documents (`store/`, kept as
LoRa's OIO registrations on SQLite and files on disk) served in one wire dialect per package:
LoRa 1.10.0's OIO REST (`oio/`, caseclient's default when nothing is configured) and simulators of
the vendors' APIs (`sbsys/`, `getorganized/`). The test suite runs against it."""

from .app import CPU_TIME_HEADER, DIALECTS, TIMING_HEADER, create_app
from .oio.app import LORA_VERSION
from .demo import CASEWORKERS, Caseworker, caseworker_uuid, kle_class_uuid, seed_cases
from .faults import FaultConfig, FaultInjector
from .service import ReferenceService

__all__ = [
    "CASEWORKERS", "CPU_TIME_HEADER", "DIALECTS", "Caseworker", "FaultConfig", "FaultInjector", "LORA_VERSION",
    "ReferenceService", "TIMING_HEADER", "caseworker_uuid", "create_app", "kle_class_uuid",
    "seed_cases",
]
