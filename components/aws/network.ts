import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { layoutSubnets } from "./cidr";

/**
 * Zone IDs where EKS refuses control-plane subnets (Amazon EKS user guide, "Subnet requirements
 * and considerations", as of 2026-11).
 */
export const zonesEksRefuses = ["use1-az3", "usw1-az2", "cac1-az3"];

/**
 * The region's first `count` zones that can hold an EKS cluster's subnets: Availability Zones only
 * (Local and Wavelength Zones are opt-in), none EKS refuses. Fewer than asked is a mistake in
 * network.availabilityZones that only the region's answer reveals.
 */
function eksZones(region: string, count: number, opts: pulumi.InvokeOptions): pulumi.Output<string[]> {
  return aws.getAvailabilityZonesOutput({
    state: "available",
    filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }, { name: "zone-type", values: ["availability-zone"] }],
    excludeZoneIds: zonesEksRefuses,
  }, opts).names.apply((names) => {
    if (names.length < count) {
      throw new pulumi.RunError(`gpu-platform:network.availabilityZones = ${count}: ${region} has ${names.length} Availability Zones that can hold EKS subnets (${names.join(", ")}); set at most ${names.length}`);
    }
    return names.slice(0, count);
  });
}

export interface NetworkArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcCidr: string;
  readonly availabilityZones: number;
  readonly natGateways: "single" | "perZone";
  readonly subnetLayout: "sixZones" | "byZoneCount";
}

/**
 * A VPC with private subnets for every node and public subnets that hold only NAT gateways.
 * Nodes never get public addresses; internal load balancers find the private subnets by tag.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions) {
    super("gpu-platform:aws:Network", name, {}, opts);
    const child = { parent: this };
    const zones = eksZones(args.region, args.availabilityZones, child);
    const layout = layoutSubnets(args.vpcCidr, args.availabilityZones, args.subnetLayout);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: args.vpcCidr,
      // The private API endpoint resolves only with VPC DNS on.
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: args.clusterName },
    }, child);
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: args.clusterName } }, child);

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
      tags: { Name: `${args.clusterName}-public` },
    }, child);

    const publicSubnets = layout.public.map((cidrBlock, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-public-${i}`, {
        vpcId: vpc.id,
        cidrBlock,
        availabilityZone: zones[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${args.clusterName}-public-${i}`, "kubernetes.io/role/elb": "1", ...clusterTag },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, child);
      return subnet;
    });

    const natCount = args.natGateways === "perZone" ? args.availabilityZones : 1;
    const natGateways = publicSubnets.slice(0, natCount).map((subnet, i) => {
      const address = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${args.clusterName}-nat-${i}` } }, child);
      return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
        subnetId: subnet.id,
        allocationId: address.id,
        tags: { Name: `${args.clusterName}-nat-${i}` },
      }, { ...child, dependsOn: [gateway] });
    });

    this.vpcId = vpc.id;
    const privateSubnets = layout.private.map((cidrBlock, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
        vpcId: vpc.id,
        cidrBlock,
        availabilityZone: zones[i],
        tags: { Name: `${args.clusterName}-private-${i}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag },
      }, child);
      const routes = new aws.ec2.RouteTable(`${name}-private-${i}`, {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[i % natGateways.length].id }],
        tags: { Name: `${args.clusterName}-private-${i}` },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, child);
      return { id: subnet.id, routes };
    });
    // Image layers come from S3: a gateway endpoint keeps those bytes off the paid NAT path.
    new aws.ec2.VpcEndpoint(`${name}-s3`, {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${args.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateSubnets.map((subnet) => subnet.routes.id),
      tags: { Name: `${args.clusterName}-s3` },
    }, child);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
  }
}
