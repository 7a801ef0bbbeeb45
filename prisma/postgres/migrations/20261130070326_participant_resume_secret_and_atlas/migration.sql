-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "resumeSecretHash" TEXT;

-- CreateTable
CREATE TABLE "ActivationAtlas" (
    "key" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "imageSetId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "meta" TEXT NOT NULL DEFAULT '{}',
    "bytes" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivationAtlas_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ActivationAtlas_modelId_imageSetId_idx" ON "ActivationAtlas"("modelId", "imageSetId");

