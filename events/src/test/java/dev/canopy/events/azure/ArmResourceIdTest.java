package dev.canopy.events.azure;

import dev.canopy.events.azure.ArmResourceId.ScopeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ids copied from /work/shared/azure-samples (recordings, spec examples, EA and FOCUS cost files). */
class ArmResourceIdTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", nullValues = "-", textBlock = """
            # recording_resourcegroups_list_test.json
            /subscriptions/azure_subscription_id/resourceGroups/databricks-rg-myDatabrick-ukktzsoq5bsy2 | RESOURCE_GROUP | azure_subscription_id | databricks-rg-myDatabrick-ukktzsoq5bsy2 | Microsoft.Resources | Microsoft.Resources/resourceGroups | databricks-rg-myDatabrick-ukktzsoq5bsy2
            /subscriptions/azure_subscription_id/resourceGroups/qiaozhatest/providers/Microsoft.Purview/accounts/qiaozhamatest | RESOURCE | azure_subscription_id | qiaozhatest | Microsoft.Purview | Microsoft.Purview/accounts | qiaozhamatest
            # recording_resources_list_test.json: parentheses in the name
            /subscriptions/azure_subscription_id/resourceGroups/DefaultResourceGroup-CUS/providers/Microsoft.OperationsManagement/solutions/ContainerInsights(DefaultWorkspace-azure_subscription_id-CUS) | RESOURCE | azure_subscription_id | DefaultResourceGroup-CUS | Microsoft.OperationsManagement | Microsoft.OperationsManagement/solutions | ContainerInsights(DefaultWorkspace-azure_subscription_id-CUS)
            # recording_tagsoperations_get_test.json: the Tags API's own (extension) resource
            /subscriptions/azure_subscription_id/resourceGroups/myjstest1/providers/Microsoft.Resources/tags/default | RESOURCE | azure_subscription_id | myjstest1 | Microsoft.Resources | Microsoft.Resources/tags | default
            # subscriptions/2022-12-01/GetSubscriptions.json
            /subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05 | SUBSCRIPTION | 291bba3f-e0a5-47bc-a099-3bdcb2a50a05 | - | Microsoft.Resources | Microsoft.Resources/subscriptions | 291bba3f-e0a5-47bc-a099-3bdcb2a50a05
            # authorization/2022-04-01/RoleAssignments_ListForScope.json: a resource at subscription scope
            /subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747 | RESOURCE | a925f2f7-5c63-4b7b-8799-25a5f97bc3b2 | - | Microsoft.Authorization | Microsoft.Authorization/roleAssignments | b0f43c54-e787-4862-89b1-a653fa9cf747
            # resourcegraph/2024-04-01/ResourcesBasicQuery.json: a nested child type
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2/providers/Microsoft.Automation/automationAccounts/TestAA/runbooks/RBTest | RESOURCE | cfbbd179-59d2-4052-aa06-9270a38aa9d6 | RG2 | Microsoft.Automation | Microsoft.Automation/automationAccounts/runbooks | RBTest
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2/providers/Microsoft.Network/virtualNetworks/myVnet | RESOURCE | cfbbd179-59d2-4052-aa06-9270a38aa9d6 | RG2 | Microsoft.Network | Microsoft.Network/virtualNetworks | myVnet
            # EA_ActualCost_Small.csv: all upper case, upper-case subscription, two-level children
            /SUBSCRIPTIONS/64E355D7-997C-491D-B0C1-8414DCCFCF42/RESOURCEGROUPS/FTK-MICFLAN-DARKSLATE2/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/FTK-MICFLA-5PD7GDO37OOZC | RESOURCE | 64E355D7-997C-491D-B0C1-8414DCCFCF42 | FTK-MICFLAN-DARKSLATE2 | MICROSOFT.KEYVAULT | MICROSOFT.KEYVAULT/VAULTS | FTK-MICFLA-5PD7GDO37OOZC
            /subscriptions/1CAAA5A3-2B66-438E-8AB4-BCE37D518C5D/resourceGroups/AHBTest/providers/Microsoft.Sql/servers/ahbtest1/databases/nonmanaged | RESOURCE | 1CAAA5A3-2B66-438E-8AB4-BCE37D518C5D | AHBTest | Microsoft.Sql | Microsoft.Sql/servers/databases | nonmanaged
            /subscriptions/1caaa5a3-2b66-438e-8ab4-bce37d518c5d/resourceGroups/CapRes_Test/providers/Microsoft.Compute/capacityReservationGroups/OnDemadCapRes_Test_USSouthCentralZonal/capacityReservations/CR_Dv3_AZ3 | RESOURCE | 1caaa5a3-2b66-438e-8ab4-bce37d518c5d | CapRes_Test | Microsoft.Compute | Microsoft.Compute/capacityReservationGroups/capacityReservations | CR_Dv3_AZ3
            /subscriptions/9EC51CFD-5CA7-4D76-8101-DD0A4ABC5674/resourceGroups/AnalyticsEngine/providers/Microsoft.Sql/servers/treyanalyticsengine/elasticPools/AEPool | RESOURCE | 9EC51CFD-5CA7-4D76-8101-DD0A4ABC5674 | AnalyticsEngine | Microsoft.Sql | Microsoft.Sql/servers/elasticPools | AEPool
            # FOCUS focus_sample.csv: cost data lower-cases everything
            /subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/resourcegroups/gekko/providers/microsoft.storage/storageaccounts/gekkodiag236 | RESOURCE | 73c0021f-a37d-433f-8baa-7450cb54eea6 | gekko | microsoft.storage | microsoft.storage/storageaccounts | gekkodiag236
            /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/devtestlab/providers/microsoft.devtestlab/labs/example-dtl/environments/example-dtl-DTLWebMySQL-186455 | RESOURCE | 64e355d7-997c-491d-b0c1-8414dccfcf42 | devtestlab | microsoft.devtestlab | microsoft.devtestlab/labs/environments | example-dtl-DTLWebMySQL-186455
            # FOCUS tag value (cm-resource-parent)
            /subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourceGroups/ftk-micflan-TemplateDeployment/providers/Microsoft.Cloud/hubs/finopshub | RESOURCE | ed570627-0265-4620-bb42-bae06bcfa914 | ftk-micflan-TemplateDeployment | Microsoft.Cloud | Microsoft.Cloud/hubs | finopshub
            # an extension resource: the last provider names the type
            /subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/AnalyticsEngine/providers/Microsoft.ContainerService/managedClusters/AnalyticsEngine/providers/Microsoft.Resources/tags/default | RESOURCE | 9ec51cfd-5ca7-4d76-8101-dd0a4abc5674 | AnalyticsEngine | Microsoft.Resources | Microsoft.Resources/tags | default
            """)
    void parsesRealIds(String id, ScopeKind kind, String subscriptionId, String resourceGroup, String namespace,
                       String type, String name) {
        ArmResourceId parsed = ArmResourceId.parse(id);

        assertThat(parsed.scopeKind()).isEqualTo(kind);
        assertThat(parsed.subscriptionId()).isEqualTo(subscriptionId);
        assertThat(parsed.resourceGroup()).isEqualTo(resourceGroup);
        assertThat(parsed.providerNamespace()).isEqualTo(namespace);
        assertThat(parsed.resourceType()).isEqualTo(type);
        assertThat(parsed.name()).isEqualTo(name);
        assertThat(parsed.displayId()).isEqualTo(id);
        assertThat(parsed.key()).isEqualTo(id.toLowerCase(java.util.Locale.ROOT));
        assertThat(ArmResourceId.lenientKey(id)).isEqualTo(parsed.key());
    }

    /** Inventory casing (ARM, EA export, tag values) vs the FOCUS cost data's lower-cased id of the same resource. */
    @ParameterizedTest
    @CsvSource(delimiterString = " | ", textBlock = """
            /subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/MC_ANALYTICSENGINE_ANALYTICSENGINE_EASTUS/providers/Microsoft.Compute/virtualMachineScaleSets/aks-secretagent-37798712-vmss | /subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourcegroups/mc_analyticsengine_analyticsengine_eastus/providers/microsoft.compute/virtualmachinescalesets/aks-secretagent-37798712-vmss
            /subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/AnalyticsEngine/providers/Microsoft.ContainerService/managedClusters/AnalyticsEngine | /subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourcegroups/analyticsengine/providers/microsoft.containerservice/managedclusters/analyticsengine
            /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/devtestlab/providers/Microsoft.MachineLearningServices/workspaces/zmltestplayground | /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/devtestlab/providers/microsoft.machinelearningservices/workspaces/zmltestplayground
            /subscriptions/64E355D7-997C-491D-B0C1-8414DCCFCF42/RESOURCEGROUPS/FTK-MICFLAN-DARKSLATE2/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/FTK-MICFLA-5PD7GDO37OOZC | /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/ftk-micflan-darkslate2/providers/Microsoft.KeyVault/vaults/ftk-micfla-5pd7gdo37oozc
            //subscriptions/azure_subscription_id/resourcegroups/myjstest1/providers/Microsoft.Resources/tags/default | /subscriptions/azure_subscription_id/resourceGroups/myjstest1/providers/Microsoft.Resources/tags/default/
            """)
    void theSameResourceInDifferentSpellingsHasOneKey(String inventory, String cost) {
        ArmResourceId a = ArmResourceId.parse(inventory);
        ArmResourceId b = ArmResourceId.parse(cost);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.key()).isEqualTo(b.key());
        assertThat(a.displayId()).isNotEqualTo(b.displayId());
    }

    @Test
    void sdkDoubleSlashAndTrailingSlashAreDroppedFromTheDisplayId() {
        ArmResourceId id = ArmResourceId.parse("//subscriptions/azure_subscription_id/resourceGroups/myjstest1/");

        assertThat(id.displayId()).isEqualTo("/subscriptions/azure_subscription_id/resourceGroups/myjstest1");
        assertThat(id.scopeKind()).isEqualTo(ScopeKind.RESOURCE_GROUP);
        assertThat(id).hasToString(id.displayId());
    }

    @Test
    void storageAccountsAreRecognizedInAnyCasing() {
        assertThat(ArmResourceId.parse("/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/resourcegroups/gekko/"
                + "providers/microsoft.storage/storageaccounts/gekkodiag236").isStorageAccount()).isTrue();
        assertThat(ArmResourceId.parse("/subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2/"
                + "providers/Microsoft.Network/virtualNetworks/myVnet").isStorageAccount()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", textBlock = """
            /providers/Microsoft.Capacity/reservationOrders/49ed0e4d-8e0c-4f1f-af2c-67c865056615/reservations/ | does not start with /subscriptions/
            http://subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/example-dtl-DTLWeb-128359 | does not start with /subscriptions/
            subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42 | does not start with /subscriptions/
            /subscriptions/ | missing subscription id after 'subscriptions'
            /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups | missing resource group name after 'resourceGroups'
            /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/devtestlab/providers | missing provider namespace after 'providers'
            /subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/devtestlab/providers/Microsoft.Network | missing resource type after provider 'Microsoft.Network'
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2/providers/Microsoft.Network/virtualNetworks | odd number of type/name segments after provider 'Microsoft.Network'
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2/providers/Microsoft.Network/virtualNetworks/myVnet/subnets | odd number of type/name segments after provider 'Microsoft.Network'
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG2//providers/Microsoft.Network/virtualNetworks/myVnet | empty segment at position 5
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/../../../../../../../subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/victim | has a '..' segment at position 8
            /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/./providers/Microsoft.Web/sites/x | has a '.' segment at position 4
            /subscriptions/azure_subscription_id/tagNames/tagyyy | unexpected segment 'tagNames' where 'resourceGroups' or 'providers' was expected
            /subscriptions/azure_subscription_id/resourceGroups/myjstest1/resources/x | unexpected segment 'resources' where 'providers' was expected
            """)
    void rejectsMalformedIdsNamingTheFault(String id, String fault) {
        assertThatThrownBy(() -> ArmResourceId.parse(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fault)
                .hasMessageContaining(id);
    }

    @Test
    void rejectsNullBlankAndPaddedIds() {
        assertThatThrownBy(() -> ArmResourceId.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ArmResourceId.parse("  ")).hasMessageContaining("is blank");
        assertThatThrownBy(() -> ArmResourceId.parse(" /subscriptions/x")).hasMessageContaining("whitespace");
    }

    @Test
    void lenientKeyNormalizesCostIdsOutsideASubscription() {
        assertThat(ArmResourceId.lenientKey(
                "/providers/Microsoft.Capacity/reservationOrders/49ed0e4d-8e0c-4f1f-af2c-67c865056615/reservations/"))
                .isEqualTo("/providers/microsoft.capacity/reservationorders/49ed0e4d-8e0c-4f1f-af2c-67c865056615/reservations");
        assertThat(ArmResourceId.lenientKey("")).isNull();
        assertThat(ArmResourceId.lenientKey(null)).isNull();
    }
}
