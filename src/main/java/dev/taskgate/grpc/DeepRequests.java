package dev.taskgate.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests may nest as deep as a REST body may (each level of a {@code google.protobuf.Struct} is
 * three protobuf levels; protobuf's default limit of 100 would refuse a context nested 34 levels
 * deep with an INTERNAL error from the transport), so that the command refuses a too deeply nested
 * context with the same INVALID_ARGUMENT as REST.
 */
final class DeepRequests {

    /** About the 1000 levels of JSON nesting the REST body parser accepts. */
    static final int RECURSION_LIMIT = 3_000;

    private DeepRequests() {
    }

    static ServerServiceDefinition allow(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> deep = deep(method);
            methods.add(deep);
            descriptor.addMethod(deep.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> deep(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        if (!(descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> requests)
                || !(requests.getMessagePrototype() instanceof Message prototype)) {
            return method;
        }
        @SuppressWarnings("unchecked")
        MethodDescriptor.Marshaller<Q> deepRequests =
                (MethodDescriptor.Marshaller<Q>) ProtoUtils.marshallerWithRecursionLimit(prototype, RECURSION_LIMIT);
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(deepRequests).build(),
                method.getServerCallHandler());
    }
}
