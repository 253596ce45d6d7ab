// Compute: virtual machines and the catalogue they are built from (images, flavors, key pairs).
import { router } from "@/server/trpc";
import { createImage } from "./create-image";
import { createInstances } from "./create-instances";
import { createKeypair } from "./create-keypair";
import { deleteImage } from "./delete-image";
import { deleteInstance } from "./delete-instance";
import { deleteKeypair } from "./delete-keypair";
import { getInstance } from "./get-instance";
import { getInstanceConsole } from "./get-instance-console";
import { getInstanceConsoleLog } from "./get-instance-console-log";
import { getInstanceMetrics } from "./get-instance-metrics";
import { instanceAction } from "./instance-action";
import { listFlavors } from "./list-flavors";
import { listImages } from "./list-images";
import { listInstances } from "./list-instances";
import { listKeypairs } from "./list-keypairs";
import { startImageUpload } from "./start-image-upload";
import { updateImage } from "./update-image";
import { updateInstance } from "./update-instance";

export const computeRouter = router({
  listInstances,
  createInstances,
  getInstance,
  updateInstance,
  deleteInstance,
  instanceAction,
  getInstanceConsole,
  getInstanceConsoleLog,
  getInstanceMetrics,
  listImages,
  createImage,
  startImageUpload,
  updateImage,
  deleteImage,
  listFlavors,
  listKeypairs,
  createKeypair,
  deleteKeypair,
});
