using System.Text.Json.Nodes;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tables;

/// <summary>Storage rows: PersistentVolume, PersistentVolumeClaim, StorageClass.</summary>
internal static class StoragePrinters
{
    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";
    private const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    private const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";
    private const string Unset = "<unset>";

    public static TablePrinter PersistentVolume { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
            CommonColumns.Text("Access Modes", "accessModes contains all ways the volume can be mounted."),
            CommonColumns.Text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
            CommonColumns.Text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
            CommonColumns.Text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
            CommonColumns.Text("StorageClass", "StorageClass of the pv"),
            CommonColumns.Text("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            CommonColumns.Text("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
            CommonColumns.Age,
            CommonColumns.Wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
        ],
        PersistentVolumeCells);

    public static TablePrinter PersistentVolumeClaim { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Status", "phase represents the current phase of PersistentVolumeClaim."),
            CommonColumns.Text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            CommonColumns.Text("Capacity", "capacity represents the actual resources of the underlying volume."),
            CommonColumns.Text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
            CommonColumns.Text("StorageClass", "StorageClass of the pvc"),
            CommonColumns.Text("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            CommonColumns.Age,
            CommonColumns.Wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."),
        ],
        PersistentVolumeClaimCells);

    public static TablePrinter StorageClass { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Provisioner", "provisioner indicates the type of the provisioner."),
            CommonColumns.Text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
            CommonColumns.Text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
            CommonColumns.Text("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
            CommonColumns.Age,
        ],
        StorageClassCells);

    private static JsonArray PersistentVolumeCells(JsonObject pv, DateTimeOffset now)
    {
        JsonNode? spec = pv["spec"];
        string claim = spec.Obj("claimRef") is { } claimRef
            ? $"{claimRef.Str("namespace")}/{claimRef.Str("name")}"
            : "";
        return new JsonArray(
            pv.Name(),
            Capacity(spec.At("capacity", "storage")),
            AccessModes(spec.At("accessModes")),
            spec.Str("persistentVolumeReclaimPolicy") ?? "",
            pv.IsDeleting() ? "Terminating" : (pv.Str("status", "phase") ?? ""),
            claim,
            pv.Str("metadata", "annotations", BetaStorageClassAnnotation) ?? (spec.Str("storageClassName") ?? ""),
            spec.Str("volumeAttributesClassName") ?? Unset,
            pv.Str("status", "reason") ?? "",
            HumanDuration.Since(pv.Created(), now),
            spec.Str("volumeMode") ?? Unset);
    }

    private static JsonArray PersistentVolumeClaimCells(JsonObject pvc, DateTimeOffset now)
    {
        JsonNode? spec = pvc["spec"];
        string volume = spec.Str("volumeName") ?? "";

        // Capacity and modes are the bound volume's, so they show only once bound.
        bool bound = volume.Length > 0;
        return new JsonArray(
            pvc.Name(),
            pvc.IsDeleting() ? "Terminating" : (pvc.Str("status", "phase") ?? ""),
            volume,
            bound ? Capacity(pvc.At("status", "capacity", "storage")) : "",
            bound ? AccessModes(pvc.At("status", "accessModes")) : "",
            pvc.Str("metadata", "annotations", BetaStorageClassAnnotation) ?? (spec.Str("storageClassName") ?? ""),
            spec.Str("volumeAttributesClassName") ?? Unset,
            HumanDuration.Since(pvc.Created(), now),
            spec.Str("volumeMode") ?? Unset);
    }

    private static JsonArray StorageClassCells(JsonObject sc, DateTimeOffset now)
    {
        bool isDefault = sc.Str("metadata", "annotations", DefaultClassAnnotation) == "true"
            || sc.Str("metadata", "annotations", BetaDefaultClassAnnotation) == "true";
        return new JsonArray(
            isDefault ? sc.Name() + " (default)" : sc.Name(),
            sc.Str("provisioner") ?? "",
            sc.Str("reclaimPolicy") ?? "Delete",
            sc.Str("volumeBindingMode") ?? "Immediate",
            sc.Bool("allowVolumeExpansion") ?? false,
            HumanDuration.Since(sc.Created(), now));
    }

    /// <summary>A storage quantity in canonical form ("10Gi"); "0" when absent, as a zero Quantity prints.</summary>
    private static string Capacity(JsonNode? quantity)
    {
        string? text = quantity is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (text is null)
        {
            return "0";
        }

        return Quantity.TryParse(text, out Quantity? parsed) ? parsed.ToString() : text;
    }

    /// <summary>"RWO,ROX,RWX,RWOP" in that fixed order, duplicates dropped.</summary>
    internal static string AccessModes(JsonNode? modes)
    {
        HashSet<string> present = [.. modes.Strings()];
        (string Mode, string Short)[] order =
            [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")];
        return string.Join(",", order.Where(o => present.Contains(o.Mode)).Select(o => o.Short));
    }
}
