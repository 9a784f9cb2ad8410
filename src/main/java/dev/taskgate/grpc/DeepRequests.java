package dev.taskgate.grpc;

import com.google.protobuf.Message;
import dev.taskgate.task.SubmitCommand;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests may nest deeper than protobuf's default limit of 100 (each level of a {@code
 * google.protobuf.Struct} is three protobuf levels, so that limit would refuse a context nested 34
 * levels deep with an INTERNAL error from the transport), so that the command refuses a context
 * nested more than 32 levels with the same INVALID_ARGUMENT as REST; a context too deep to parse
 * at all (over 100 levels) gets that same answer here.
 *
 * <p>Bytes that are not the request message (garbage, a message cut short, nesting beyond even
 * that limit) are answered with INVALID_ARGUMENT too. The transport would otherwise drop the
 * message whose parsing failed and end the call with INTERNAL "Half-closed without a request":
 * here the parser hands on a {@link Malformed} marker instead, and the call's first listener ends
 * the call with it before the service sees anything.
 */
final class DeepRequests {

    /** 100 levels of Struct: well beyond the deepest context accepted, well within the parsing thread's stack. */
    static final int RECURSION_LIMIT = 300;

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
        String tooDeep = prototype.getDescriptorForType().findFieldByName("context") != null
                ? "context is nested more than " + SubmitCommand.MAX_CONTEXT_DEPTH + " levels deep"
                : "The request is nested too deeply";
        return ServerMethodDefinition.create(
                descriptor.toBuilder().setRequestMarshaller(new Lenient<>(deepRequests, tooDeep)).build(),
                refusingMalformed(method.getServerCallHandler()));
    }

    /** What {@link Lenient} hands on in place of a request it could not parse. */
    private record Malformed(Status status) {
    }

    /** Parses like the protobuf marshaller; what it cannot parse becomes a {@link Malformed} (the type is erased at run time). */
    private record Lenient<Q>(MethodDescriptor.Marshaller<Q> strict, String tooDeep) implements MethodDescriptor.Marshaller<Q> {

        @Override
        public InputStream stream(Q value) {
            return strict.stream(value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Q parse(InputStream stream) {
            try {
                return strict.parse(stream);
            } catch (RuntimeException e) {
                String problem = e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : "";
                String description = problem.contains("levels of nesting") ? tooDeep
                        : "The request is not a valid protobuf message of its type";
                return (Q) new Malformed(Status.INVALID_ARGUMENT.withDescription(description));
            }
        }
    }

    private static <Q, R> ServerCallHandler<Q, R> refusingMalformed(ServerCallHandler<Q, R> next) {
        return (call, headers) -> new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if ((Object) message instanceof Malformed malformed) {
                    refused = true;
                    call.close(malformed.status(), new Metadata());
                } else {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
