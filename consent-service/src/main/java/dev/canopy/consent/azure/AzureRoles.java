package dev.canopy.consent.azure;

/** The built-in Azure role definition ids onboarding reads and assigns (AZURE-CONTRACTS §2.3). */
public final class AzureRoles {

    public static final String OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public static final String TAG_CONTRIBUTOR = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";
    public static final String COST_MANAGEMENT_READER = "72fafb9e-0641-4937-9268-a91bfd8191a3";

    private AzureRoles() {
    }

    /** The role's GUID from a full role definition id (or the GUID itself), lower-cased. */
    public static String guidOf(String roleDefinitionId) {
        String id = roleDefinitionId == null ? "" : roleDefinitionId;
        return id.substring(id.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
