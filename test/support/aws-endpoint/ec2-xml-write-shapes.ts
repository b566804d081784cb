// EC2 XML element names of the outputs of the write operations `ssmguard fix --apply` calls, taken from the
// `xmlName` traits of @aws-sdk/client-ec2 3.1169's schemas (dist-es/schemas/schemas_0.js, e.g.
// `IamInstanceProfileAssociation$` has `[_xN]: _aIs` = "associationId"), in the format of ec2-xml-shapes.ts.

import type { Ec2XmlMember } from './ec2-xml-shapes.js';

export const EC2_WRITE_XML_SHAPES: Readonly<Record<string, Readonly<Record<string, Ec2XmlMember>>>> = {
  IamInstanceProfileAssociation: {
    AssociationId: 'associationId',
    InstanceId: 'instanceId',
    IamInstanceProfile: ['iamInstanceProfile', 'IamInstanceProfile'],
    State: 'state',
    Timestamp: ['timestamp', 'timestamp'],
  },
  AssociateIamInstanceProfileResult: {
    IamInstanceProfileAssociation: ['iamInstanceProfileAssociation', 'IamInstanceProfileAssociation'],
  },
  ReplaceIamInstanceProfileAssociationResult: {
    IamInstanceProfileAssociation: ['iamInstanceProfileAssociation', 'IamInstanceProfileAssociation'],
  },
  DisassociateIamInstanceProfileResult: {
    IamInstanceProfileAssociation: ['iamInstanceProfileAssociation', 'IamInstanceProfileAssociation'],
  },
  DescribeIamInstanceProfileAssociationsResult: {
    IamInstanceProfileAssociations: ['iamInstanceProfileAssociationSet', 'IamInstanceProfileAssociation[]'],
    NextToken: 'nextToken',
  },
  ModifyInstanceMetadataOptionsResult: {
    InstanceId: 'instanceId',
    InstanceMetadataOptions: ['instanceMetadataOptions', 'InstanceMetadataOptionsResponse'],
  },
  RevokeSecurityGroupIngressResult: { Return: ['return', 'boolean'] },
  AuthorizeSecurityGroupIngressResult: { Return: ['return', 'boolean'] },
  CreateSecurityGroupResult: { GroupId: 'groupId', SecurityGroupArn: 'securityGroupArn' },
  DeleteSecurityGroupResult: { Return: ['return', 'boolean'], GroupId: 'groupId' },
  CreateVpcEndpointResult: { VpcEndpoint: ['vpcEndpoint', 'VpcEndpoint'] },
  DeleteVpcEndpointsResult: {},
};
